package dev.vpcflowlogs.recorder.notification;

import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Read-only access to a recording's notification, for the operations endpoints. */
@Component
public class NotificationQueries {

    /**
     * A notification as the endpoints show it.
     *
     * @param status {@code pending}, {@code sent}, or {@code rejected} (refused for good, not sent again)
     * @param dueAt when it is (or was last) due
     * @param error why the last attempt failed
     */
    public record View(
            String status,
            Instant dueAt,
            int attempts,
            @Nullable Instant sentAt,
            @Nullable String subject,
            @Nullable String body,
            @Nullable String error) {}

    private final NotificationStore store;

    NotificationQueries(NotificationStore store) {
        this.store = store;
    }

    public Optional<View> find(String recordingId) {
        return store.find(recordingId)
                .map(n -> new View(
                        n.status().label(), n.dueAt(), n.attempts(), n.sentAt(), n.subject(), n.body(), n.error()));
    }
}
