package dev.vpcflowlogs.recorder.console;

import dev.vpcflowlogs.recorder.aws.PreflightChecks;
import dev.vpcflowlogs.recorder.config.AlarmSettings;
import dev.vpcflowlogs.recorder.config.Place;
import dev.vpcflowlogs.recorder.config.RecorderProperties;
import dev.vpcflowlogs.recorder.notification.NotificationCommands;
import dev.vpcflowlogs.recorder.notification.NotificationQueries;
import dev.vpcflowlogs.recorder.recording.OperatorCommands;
import dev.vpcflowlogs.recorder.recording.OperatorOutcome;
import dev.vpcflowlogs.recorder.recording.Recording;
import dev.vpcflowlogs.recorder.recording.RecordingQueries;
import dev.vpcflowlogs.recorder.report.InsightsQuery;
import dev.vpcflowlogs.recorder.report.ReportQueries;
import dev.vpcflowlogs.recorder.watch.AlarmStates;
import dev.vpcflowlogs.recorder.watch.WatchedGateways;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The console's pages and the operations it offers, each answered by a redirect with what it did in words. */
@Controller
class ConsoleController {

    static final int RECENT = 20;

    private final WatchedGateways watched;
    private final AlarmStates alarms;
    private final RecordingQueries recordings;
    private final OperatorCommands operations;
    private final ReportQueries reports;
    private final NotificationQueries notifications;
    private final NotificationCommands resend;
    private final PreflightChecks preflight;
    private final RecorderProperties properties;
    private final Clock clock;
    private final JsonMapper json;

    ConsoleController(
            WatchedGateways watched,
            AlarmStates alarms,
            RecordingQueries recordings,
            OperatorCommands operations,
            ReportQueries reports,
            NotificationQueries notifications,
            NotificationCommands resend,
            PreflightChecks preflight,
            RecorderProperties properties,
            Clock clock,
            JsonMapper json) {
        this.watched = watched;
        this.alarms = alarms;
        this.recordings = recordings;
        this.operations = operations;
        this.reports = reports;
        this.notifications = notifications;
        this.resend = resend;
        this.preflight = preflight;
        this.properties = properties;
        this.clock = clock;
        this.json = json;
    }

    /** A watched gateway as the status page lists it. */
    record GatewayRow(
            String id,
            String place,
            String source,
            String mode,
            String threshold,
            String alarm,
            @Nullable String active) {}

    /** A recording as the status page lists it. */
    record RecordingRow(
            String id,
            String gatewayId,
            String place,
            String state,
            String started,
            @Nullable String timeLeft,
            String outcome,
            @Nullable String cost,
            @Nullable String startedBy) {}

    @GetMapping("/login")
    String login() {
        return "console/login";
    }

    /** Where a refused login is forwarded: the login page again, with 401. */
    @RequestMapping(ConsoleSecurity.LOGIN_FAILED)
    @ResponseStatus(HttpStatus.UNAUTHORIZED)
    String loginFailed(Model model) {
        model.addAttribute("failed", true);
        return "console/login";
    }

    @GetMapping("/")
    String status(Model model) {
        Instant now = clock.instant();
        List<Recording> active = recordings.active();
        List<Recording> recent = recordings.recent(RECENT);
        List<GatewayRow> gateways = new ArrayList<>();
        for (String id : watched.ids()) {
            AlarmSettings settings = watched.alarmSettings(id);
            Optional<Recording> last =
                    recent.stream().filter(r -> r.gatewayId().equals(id)).findFirst();
            gateways.add(new GatewayRow(
                    id,
                    watched.placeOf(id).map(Place::label).orElse("-"),
                    watched.isListed(id) ? "listed" : "found by its tags",
                    last.map(r -> r.mode() == null
                                    ? "not known yet"
                                    : r.mode().name().toLowerCase(Locale.ROOT))
                            .orElse("not known yet"),
                    settings.mode().name().toLowerCase(Locale.ROOT) + ", "
                            + (settings.mode() == AlarmSettings.AlarmMode.STATIC
                                    ? settings.threshold().toMegabytes() + " MB a period"
                                    : settings.bandWidth() + " standard deviations"),
                    alarms.of(id)
                            .map(s -> s.state() + " (read " + seconds(s.at()) + ")")
                            .orElse("not read yet"),
                    active.stream()
                            .filter(r -> r.gatewayId().equals(id))
                            .map(Recording::id)
                            .findFirst()
                            .orElse(null)));
        }
        model.addAttribute("gateways", gateways);
        model.addAttribute("active", active.stream().map(r -> row(r, now)).toList());
        model.addAttribute("recent", recent.stream().map(r -> row(r, now)).toList());
        model.addAttribute("refresh", !active.isEmpty());
        model.addAttribute("maxMinutes", properties.recording().maxDuration().toMinutes());
        model.addAttribute("preflight", preflight.last());
        return "console/status";
    }

    @GetMapping("/recordings/{id}")
    String recording(@PathVariable String id, Model model) {
        Recording r = recordings.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        Map<String, Object> report = reports.find(id).orElse(null);
        model.addAttribute("r", row(r, clock.instant()));
        model.addAttribute("recording", r);
        model.addAttribute("notification", notifications.find(id).orElse(null));
        model.addAttribute("report", report);
        model.addAttribute("charts", ReportCharts.of(report));
        model.addAttribute(
                "queries", InsightsQuery.queries(properties.flowLogs().format(), r.regional(), r.streamSources()));
        model.addAttribute(
                "json",
                report == null
                        ? "{}"
                        : json.rebuild()
                                .enable(SerializationFeature.INDENT_OUTPUT)
                                .build()
                                .writeValueAsString(report));
        model.addAttribute("refresh", r.state().isActive());
        return "console/recording";
    }

    /**
     * What an operation did, for a person (a flash message on the page it redirects to) or a tool asking for JSON (the
     * body, with {@code status} as the HTTP status).
     */
    record Answer(HttpStatus status, boolean done, String reason, @Nullable String recordingId, String message) {

        static Answer of(OperatorOutcome outcome, HttpStatus whenDone, HttpStatus whenRefused) {
            return new Answer(
                    outcome.done() ? whenDone : whenRefused,
                    outcome.done(),
                    outcome.reason().tag(),
                    outcome.recordingId(),
                    outcome.message());
        }

        /** The same, its message about {@code what} ("Recording r1: stopped"). */
        Answer about(String what) {
            return new Answer(status, done, reason, recordingId, what + ": " + message);
        }

        ResponseEntity<Map<String, Object>> asJson() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("done", done);
            body.put("reason", reason);
            body.put("recordingId", recordingId);
            body.put("message", message);
            return ResponseEntity.status(status).body(body);
        }

        /** The flash message, and the page to go to: the recording's if there is one, else the status page. */
        String redirect(RedirectAttributes flash) {
            flash.addFlashAttribute(done ? "message" : "problem", message);
            return recordingId != null ? "redirect:/recordings/" + recordingId : "redirect:/";
        }
    }

    /** The status page's form: the gateway chosen in it. */
    @PostMapping("/record")
    String recordChosen(
            @RequestParam String gateway,
            @RequestParam(required = false) @Nullable Long minutes,
            @RequestParam(required = false) @Nullable String duration,
            Principal who,
            RedirectAttributes flash) {
        return record(gateway, minutes, duration, who).redirect(flash);
    }

    /**
     * Records a gateway now for {@code minutes} (the form's field), or for {@code duration} ({@code 90s}, {@code
     * PT2M}: for tools), 10 minutes if neither is given.
     */
    @PostMapping("/gateways/{id}/record")
    String recordNow(
            @PathVariable String id,
            @RequestParam(required = false) @Nullable Long minutes,
            @RequestParam(required = false) @Nullable String duration,
            Principal who,
            RedirectAttributes flash) {
        return record(id, minutes, duration, who).redirect(flash);
    }

    /** The same, for a tool: 201 when started, 409 when the gateway is busy or at its limit, 400 or 404 otherwise. */
    @PostMapping(value = "/gateways/{id}/record", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    ResponseEntity<Map<String, Object>> recordNowForATool(
            @PathVariable String id,
            @RequestParam(required = false) @Nullable Long minutes,
            @RequestParam(required = false) @Nullable String duration,
            Principal who) {
        return record(id, minutes, duration, who).asJson();
    }

    private Answer record(String id, @Nullable Long minutes, @Nullable String duration, Principal who) {
        Optional<Place> place = watched.placeOf(id);
        if (place.isEmpty()) {
            return new Answer(
                    HttpStatus.NOT_FOUND,
                    false,
                    "not-watched",
                    null,
                    id + " is not watched: only a watched gateway can be recorded");
        }
        try {
            Duration asked = duration != null && !duration.isBlank()
                    ? DurationStyle.detectAndParse(duration.trim())
                    : Duration.ofMinutes(minutes == null ? 10 : minutes);
            return Answer.of(
                    operations.startByOperator(id, place.get(), asked, who.getName()),
                    HttpStatus.CREATED,
                    HttpStatus.CONFLICT);
        } catch (IllegalArgumentException refused) {
            return new Answer(
                    HttpStatus.BAD_REQUEST, false, "bad-duration", null, "Not recorded: " + refused.getMessage());
        }
    }

    @PostMapping("/recordings/{id}/stop")
    String stop(@PathVariable String id, Principal who, RedirectAttributes flash) {
        return stopping(id, who).redirect(flash);
    }

    /** The same, for a tool: 200 when stopped, 404 for no such recording, 409 when it is not active. */
    @PostMapping(value = "/recordings/{id}/stop", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    ResponseEntity<Map<String, Object>> stopForATool(@PathVariable String id, Principal who) {
        return stopping(id, who).asJson();
    }

    private Answer stopping(String id, Principal who) {
        OperatorOutcome outcome = operations.stopByOperator(id, who.getName());
        return Answer.of(
                        outcome,
                        HttpStatus.OK,
                        outcome.recordingId() == null ? HttpStatus.NOT_FOUND : HttpStatus.CONFLICT)
                .about("Recording " + id);
    }

    @PostMapping("/recordings/{id}/notification")
    String sendAgain(@PathVariable String id, Principal who, RedirectAttributes flash) {
        boolean again = resend.sendAgain(id, who.getName());
        flash.addFlashAttribute(
                again ? "message" : "problem",
                again ? "Its notification goes out again now" : "It has no notification to send again (yet)");
        return "redirect:/recordings/" + id;
    }

    @PostMapping("/preflight")
    String runPreflight(Principal who, RedirectAttributes flash) {
        Map<String, Object> result = preflight.runNow(who.getName());
        flash.addFlashAttribute("message", "Permission preflight: " + result.get("status"));
        return "redirect:/";
    }

    private RecordingRow row(Recording r, Instant now) {
        Instant end = r.tailEndsAt() != null ? r.tailEndsAt() : r.maxEndsAt();
        String timeLeft = r.state().isActive() && end.isAfter(now) ? human(Duration.between(now, end)) : null;
        Object costs = reports.find(r.id())
                .map(rep -> rep.getOrDefault("costs", Map.of()))
                .orElse(Map.of());
        Object cost = costs instanceof Map<?, ?> c ? c.get("natProcessing") : null;
        return new RecordingRow(
                r.id(),
                r.gatewayId(),
                r.place().label(),
                r.state().name(),
                seconds(r.startedAt() != null ? r.startedAt() : r.createdAt()),
                timeLeft,
                r.stopReason() == null
                        ? (r.state().isActive() ? "recording" : "-")
                        : r.stopReason().description(),
                cost == null ? null : "$" + new BigDecimal(cost.toString()).setScale(4, RoundingMode.HALF_UP),
                r.startedBy());
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        return s >= 60 ? (s / 60) + "m " + (s % 60) + "s" : s + "s";
    }

    private static String seconds(Instant at) {
        return at.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
