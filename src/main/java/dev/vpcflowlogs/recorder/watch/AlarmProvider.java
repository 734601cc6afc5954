package dev.vpcflowlogs.recorder.watch;

import dev.vpcflowlogs.recorder.config.Place;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** CloudWatch's metric alarms, as far as the recorder manages them, in one account and region at a time. */
public interface AlarmProvider {

    /** Every metric alarm there whose name starts with {@code prefix} (whoever made it), without its tags. */
    List<ExistingAlarm> alarmsNamedFrom(Place place, String prefix);

    /** The tags of an alarm: asked only for an alarm the recorder is about to change. */
    Map<String, String> tagsOf(Place place, String alarmArn);

    /** Creates the alarm with its tags, or replaces the settings of the alarm of that name (tags stay). */
    void put(Place place, AlarmDefinition alarm);

    /** Deletes these alarms. */
    void delete(Place place, List<String> alarmNames);

    /**
     * An alarm as CloudWatch describes it (its tags are not part of DescribeAlarms).
     *
     * @param state its StateValue (OK, ALARM, INSUFFICIENT_DATA), if CloudWatch said
     */
    record ExistingAlarm(AlarmDefinition definition, String arn, @Nullable String state) {

        public ExistingAlarm(AlarmDefinition definition, String arn) {
            this(definition, arn, null);
        }
    }
}
