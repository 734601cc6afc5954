package dev.vpcflowlogs.recorder.console;

import dev.vpcflowlogs.recorder.report.AddressOwner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the recording page draws from a stored report: the top conversations, the internal hosts with who held them,
 * and the bytes by AWS service; each also a table, for a page read without JavaScript.
 */
record ReportCharts(List<Bar> conversations, List<Bar> hosts, List<Bar> services, List<Map<String, Object>> advice) {

    /** One bar: its label, its bytes, and a second line (an owner, a direction). */
    record Bar(String label, long bytes, String detail) {}

    @SuppressWarnings("unchecked")
    static ReportCharts of(@Nullable Map<String, Object> document) {
        if (document == null || !(document.get("report") instanceof Map<?, ?>)) {
            return new ReportCharts(List.of(), List.of(), List.of(), List.of());
        }
        Map<String, Object> report = (Map<String, Object>) document.get("report");
        Map<String, Object> owners = document.get("owners") instanceof Map<?, ?> o
                ? (Map<String, Object>) ((Map<String, Object>) o).getOrDefault("byAddress", Map.of())
                : Map.of();
        List<Bar> conversations = new ArrayList<>();
        for (Map<String, Object> c : list(report.get("conversations"))) {
            conversations.add(new Bar(
                    c.get("internalHost") + " → " + c.get("remoteHost") + ":" + c.get("remotePort"),
                    number(c.get("bytes")),
                    "sent " + number(c.get("sentBytes")) + " B, received "
                            + (number(c.get("bytes")) - number(c.get("sentBytes"))) + " B"));
        }
        List<Bar> hosts = new ArrayList<>();
        for (Map<String, Object> h : list(report.get("internalHosts"))) {
            String address = String.valueOf(h.get("address"));
            hosts.add(new Bar(address, number(h.get("bytes")), ownerOf(owners.get(address))));
        }
        List<Bar> services = new ArrayList<>();
        if (report.get("bytesByService") instanceof Map<?, ?> byService) {
            byService.forEach((k, v) -> services.add(new Bar(String.valueOf(k), number(v), "")));
            services.sort((a, b) -> Long.compare(b.bytes(), a.bytes()));
        }
        List<Map<String, Object>> advice = document.get("costs") instanceof Map<?, ?> costs
                ? list(((Map<String, Object>) costs).get("services"))
                : List.of();
        return new ReportCharts(conversations, hosts, services, advice);
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * The owners seen, as the report's summary names them (the pod Kubernetes named, the node, the prefix, the service
     * that manages it); an owner stored in a shape this version cannot read is named by its instance or description.
     */
    @SuppressWarnings("unchecked")
    private static String ownerOf(@Nullable Object sightings) {
        List<String> names = new ArrayList<>();
        for (Map<String, Object> s : list(sightings)) {
            Map<String, Object> owner = (Map<String, Object>) s.get("owner");
            if (owner == null) {
                continue;
            }
            String name;
            try {
                name = JSON.convertValue(owner, AddressOwner.class).label();
            } catch (JacksonException e) {
                name = owner.get("instanceId") != null
                        ? owner.get("instanceId")
                                + (owner.get("instanceName") == null ? "" : " (" + owner.get("instanceName") + ")")
                        : String.valueOf(owner.getOrDefault("description", owner.get("interfaceId")));
            }
            names.add(name + ("REPORT".equals(s.get("when")) ? " (when the report was made)" : ""));
        }
        return names.isEmpty() ? "not found" : String.join(", then ", names);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(@Nullable Object value) {
        return value instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }

    private static long number(@Nullable Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }
}
