package dev.vpcflowlogs.recorder.aws;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/** {@code GET /actuator/preflight}: the last permission check; {@code POST}: check again now (operators only). */
@Component
@Endpoint(id = "preflight")
class PreflightEndpoint implements PreflightChecks {

    private static final Logger log = LoggerFactory.getLogger(PreflightEndpoint.class);

    private final PermissionPreflight preflight;

    PreflightEndpoint(PermissionPreflight preflight) {
        this.preflight = preflight;
    }

    @ReadOperation
    @Override
    public Map<String, Object> last() {
        Health health = preflight.health();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("status", health.getStatus().getCode());
        view.putAll(health.getDetails());
        return view;
    }

    @WriteOperation
    Map<String, Object> runNow() {
        preflight.run();
        return last();
    }

    @Override
    public Map<String, Object> runNow(String operator) {
        log.info("{} asked for the permission preflight.", operator);
        return runNow();
    }
}
