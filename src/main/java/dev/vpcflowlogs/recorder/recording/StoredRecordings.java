package dev.vpcflowlogs.recorder.recording;

import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** {@link RecordingQueries} on the store. */
@Component
@Transactional(readOnly = true)
class StoredRecordings implements RecordingQueries {

    private final RecordingStore store;

    StoredRecordings(RecordingStore store) {
        this.store = store;
    }

    @Override
    public List<Recording> active() {
        return store.active();
    }

    @Override
    public List<Recording> recent(int limit) {
        return store.recent(limit);
    }

    @Override
    public Optional<Recording> find(String id) {
        return store.find(id);
    }
}
