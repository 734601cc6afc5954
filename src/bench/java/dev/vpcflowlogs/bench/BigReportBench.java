package dev.vpcflowlogs.bench;

import dev.vpcflowlogs.packaging.ContainerImage;
import dev.vpcflowlogs.recorder.e2e.Events;
import dev.vpcflowlogs.recorder.e2e.Gateways;
import dev.vpcflowlogs.recorder.e2e.LocalSqs;
import dev.vpcflowlogs.recorder.e2e.RecorderHarness;
import dev.vpcflowlogs.recorder.standin.AwsStandIn;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Part 6 (issue 27): one recording of {@code records} flow log records (made by the stand-in as they are read), its
 * report by streaming and by Logs Insights, each in a recorder of its own (the image's {@code /app}, 512 MiB), with
 * the report's settings as shipped: 4 reads a second, two minutes. Streaming gets AWS's best case, full pages of
 * 10,000 events. For each: the time from the alarm's OK to the notification, whether it carries the report, the
 * recorder's peak resident memory, and the report itself for comparing the answers.
 */
final class BigReportBench {

    static final JsonMapper JSON = JsonMapper.builder().build();
    /** The records' time span inside the recording. */
    static final Duration SPAN = Duration.ofSeconds(5);

    record Run(
            String engine,
            long records,
            Duration notifiedAfter,
            boolean reported,
            String readBy,
            RecorderProcess.Memory memory,
            JsonNode report) {}

    record Result(long records, Run streaming, Run insights) {}

    private BigReportBench() {}

    static Result run(LocalSqs sqs, ContainerImage image, Path logs, long records, String timeout) throws Exception {
        Run streaming = one(sqs, image, logs, records, "streaming", timeout);
        Run insights = one(sqs, image, logs, records, "insights", timeout);
        return new Result(records, streaming, insights);
    }

    private static Run one(LocalSqs sqs, ContainerImage image, Path logs, long records, String engine, String timeout)
            throws Exception {
        long base = 0x400000;
        List<String> gateways = Gateways.ids(1, base);
        List<String> interfaces = Gateways.interfaces(0, base);
        try (AwsStandIn aws = BenchSettings.alarmsUnthrottled(Gateways.standIn(gateways, base))
                        .filterPage(10_000);
                RecorderHarness recorder = new RecorderHarness(sqs, aws)) {
            Gateways.watch(recorder, gateways);
            BenchSettings.apply(recorder)
                    .without("server.port")
                    .with("recorder.report.enabled", true)
                    .with("recorder.report.delay", "1s")
                    // A report that timed out is made once more after this (5 minutes as shipped): a few seconds
                    // here, so that a run measures the attempt's outcome, not the wait.
                    .with("recorder.report.retry-delay", "5s")
                    .with("recorder.report.engine", engine)
                    .with("recorder.report.timeout", timeout)
                    .with("recorder.report.reads", 4);
            Path log = logs.resolve("big-" + engine + "-" + records + "-recorder.log");
            try (RecorderProcess p = RecorderProcess.start(image, recorder.arguments(), log)) {
                p.awaitReady(Duration.ofMinutes(3));
                Instant alarm = Instant.now();
                recorder.send(Events.alarm(gateways.get(0), alarm));
                Awaitility.await("the recording's flow logs")
                        .atMost(Duration.ofMinutes(1))
                        .until(() -> aws.flowLogs().size() == 2);
                String recordingId = aws.flowLogs().get(0).tags().get("recording-id");
                for (int i = 0; i < 2; i++) {
                    aws.generatedStream(
                            RecorderHarness.LOG_GROUP,
                            interfaces.get(i) + "-all",
                            new GeneratedFlowLogs(
                                    (int) (records / 2), alarm.toEpochMilli(), SPAN.toMillis(), 20261206L + i));
                }
                Instant spanEnds = alarm.plus(SPAN);
                Awaitility.await("the records' span")
                        .atMost(SPAN.plusSeconds(5))
                        .until(() -> Instant.now().isAfter(spanEnds));
                Instant ok = Instant.now();
                recorder.send(Events.ok(gateways.get(0), ok));
                Awaitility.await("the notification")
                        .atMost(Duration.ofMinutes(20))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> !aws.published().isEmpty());
                Duration after = Duration.between(ok, Instant.now());
                String message = aws.published().get(0).message();
                String readBy = message.lines()
                        .filter(l -> l.startsWith("Read by") || l.contains("not available"))
                        .findFirst()
                        .orElse("");
                JsonNode detail = JSON.readTree(get(p, "/actuator/recordings/" + recordingId));
                JsonNode report = detail.findParent("conversations");
                return new Run(
                        engine,
                        records,
                        after,
                        report != null,
                        readBy.strip(),
                        p.memory(),
                        report == null ? JSON.createObjectNode() : report);
            }
        }
    }

    /** A GET as the harness's operator (the endpoint needs a user). */
    private static String get(RecorderProcess p, String path) throws Exception {
        String auth = Base64.getEncoder()
                .encodeToString(
                        (RecorderHarness.OPERATOR + ":" + RecorderHarness.PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.port() + path))
                                .header("Authorization", "Basic " + auth)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    /** The top ten conversations of a report, one line each, for printing side by side. */
    static List<String> topConversations(JsonNode report) {
        List<String> lines = new ArrayList<>();
        for (JsonNode c : report.path("conversations")) {
            lines.add(c.path("internalHost").asString() + " -> "
                    + c.path("remoteHost").asString() + ":"
                    + c.path("remotePort").asString() + " " + c.path("bytes").asLong());
        }
        return lines;
    }

    /** The fields both engines must agree on. */
    static final List<String> COMPARED = List.of(
            "records",
            "bytes",
            "natProcessedBytes",
            "sentBytes",
            "receivedBytes",
            "bytesByService",
            "skipped",
            "conversations",
            "internalHosts",
            "remoteHosts",
            "exact");

    /** Whether both engines answered the same; null when one gave no report. */
    static Boolean agree(Result r) {
        if (!r.streaming().reported() || !r.insights().reported()) {
            return null;
        }
        return COMPARED.stream()
                .allMatch(f -> String.valueOf(r.streaming().report().get(f))
                        .equals(String.valueOf(r.insights().report().get(f))));
    }

    static String markdown(List<Result> results) {
        StringBuilder b = new StringBuilder(
                """
                ## 6. Big recordings: streaming against Logs Insights

                One recording of a NAT gateway's two interfaces, its records made by the stand-in as they are read
                (the mix of part 4), reported by each engine in a recorder of its own (the image's `/app`, 512 MiB)
                with the report's shipped settings: 4 reads a second, `recorder.report.timeout` 2 minutes.
                Streaming gets AWS's best case, full FilterLogEvents pages of 10,000 events; Logs Insights is the
                stand-in's, which scans every query's records on this machine's two cores beside the recorder
                (AWS runs them on its own fleet). Time from the alarm's OK (1 s report delay) to the notification;
                a report that timed out is made once more after `recorder.report.retry-delay`, 5 s here (5 min as
                shipped), and the notification goes after the second attempt.

                | records | engine | notified after | report | peak RSS | heap used | read by |
                |---:|---|---:|---|---:|---:|---|
                """);
        for (Result r : results) {
            for (Run run : List.of(r.streaming(), r.insights())) {
                b.append(String.format(
                        java.util.Locale.ROOT,
                        "| %,d | %s | %.1f s | %s | %d MiB | %d MiB | %s |%n",
                        r.records(),
                        run.engine(),
                        run.notifiedAfter().toMillis() / 1000.0,
                        run.reported() ? "yes" : "no",
                        run.memory().peakRss() / (1024 * 1024),
                        run.memory().heapUsed() / (1024 * 1024),
                        run.readBy().replace("|", "/")));
            }
        }
        for (Result r : results) {
            Boolean same = agree(r);
            b.append(String.format(
                    java.util.Locale.ROOT,
                    "%n%,d records: %s%n",
                    r.records(),
                    same == null
                            ? "not compared (one engine gave no report)"
                            : same
                                    ? "both engines give the same report (" + String.join(", ", COMPARED) + ")."
                                    : "**the engines disagree**"));
            if (same != null) {
                b.append("\n| # | top conversations, streaming | Logs Insights |\n|---:|---|---|\n");
                List<String> left = topConversations(r.streaming().report());
                List<String> right = topConversations(r.insights().report());
                for (int i = 0; i < Math.max(left.size(), right.size()); i++) {
                    b.append(String.format(
                            "| %d | %s | %s |%n",
                            i + 1, i < left.size() ? left.get(i) : "", i < right.size() ? right.get(i) : ""));
                }
            }
        }
        return b.toString();
    }
}
