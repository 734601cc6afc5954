package dev.vpcflowlogs.recorder.report;

import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Read-only access to stored reports, for the operations endpoints. */
@Component
public class ReportQueries {

    private final ReportStore store;
    private final JsonMapper json;

    ReportQueries(ReportStore store, JsonMapper json) {
        this.store = store;
        this.json = json;
    }

    /** The report of a recording as a JSON object: its status, and the report or why there is none. */
    public Optional<Map<String, Object>> find(String recordingId) {
        return store.find(recordingId).map(stored -> {
            Map<String, Object> view = new java.util.LinkedHashMap<>();
            view.put("status", stored.status().name());
            if (stored.detail() != null) {
                view.put("detail", stored.detail());
            }
            if (stored.json() != null) {
                view.putAll(json.readValue(stored.json(), new TypeReference<Map<String, Object>>() {}));
            }
            return view;
        });
    }
}
