package dev.vpcflowlogs.recorder.recording;

import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Read-only access to recordings, for the operations endpoints. */
@Component
@Transactional(readOnly = true)
public class RecordingQueries {

    private final RecordingStore store;

    RecordingQueries(RecordingStore store) {
        this.store = store;
    }

    public List<Recording> active() {
        return store.active();
    }

    public List<Recording> recent(int limit) {
        return store.recent(limit);
    }

    public Optional<Recording> find(String id) {
        return store.find(id);
    }
}
