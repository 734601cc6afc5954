package dev.vpcflowlogs.recorder.recording;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/** {@code recorder.recordings{result,account,region}} and the {@code recorder.recordings.active} gauge. */
@Component
class RecordingMetrics {

    private final MeterRegistry meters;

    RecordingMetrics(MeterRegistry meters, RecordingStore recordings) {
        this.meters = meters;
        Gauge.builder("recorder.recordings.active", recordings, RecordingStore::countActive)
                .description("Recordings that hold flow logs or are starting or stopping them")
                .register(meters);
    }

    /** {@code recorder.starts.pending}: starts asked of AWS whose answer is not stored yet. */
    void startsPending(java.util.function.IntSupplier pending) {
        // Held strongly: a gauge keeps its object weakly, and nothing else holds this method reference, so after a
        // collection the gauge read NaN (the stop-burst benchmark waited on it for ever).
        Gauge.builder("recorder.starts.pending", pending, p -> p.getAsInt())
                .description("Starts sent to AWS, alone or in a shared call, whose answer is not stored yet")
                .strongReference(true)
                .register(meters);
    }

    /** Flow logs found not delivering: {@code recorder.flowlogs.delivery.failed}. */
    void deliveryFailed(int flowLogs) {
        if (flowLogs > 0) {
            meters.counter("recorder.flowlogs.delivery.failed").increment(flowLogs);
        }
    }

    /** An operator's request and what came of it: {@code recorder.operator.requests{action,reason}}. */
    void operatorAsked(String action, Reason reason) {
        meters.counter("recorder.operator.requests", "action", action, "reason", reason.tag())
                .increment();
    }

    /** A recording entered a state: counted when it starts or ends, with its account and region. */
    void entered(Recording r) {
        RecordingState state = r.state();
        String result =
                switch (state) {
                    case STARTING -> "started";
                    case COMPLETED -> "completed";
                    case FAILED -> "failed";
                    case SKIPPED -> "skipped";
                    default -> null;
                };
        if (result != null) {
            meters.counter(
                            "recorder.recordings",
                            "result",
                            result,
                            "account",
                            r.place().accountTag(),
                            "region",
                            r.place().region())
                    .increment();
        }
    }
}
