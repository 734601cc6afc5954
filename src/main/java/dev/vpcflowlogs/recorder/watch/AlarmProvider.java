package dev.vpcflowlogs.recorder.watch;

import java.util.List;

/** CloudWatch's metric alarms, as far as the recorder manages them. */
public interface AlarmProvider {

    /** Every metric alarm whose name starts with {@code prefix}, with its tags (whoever made it). */
    List<AlarmDefinition> alarmsNamedFrom(String prefix);

    /** Creates the alarm with its tags, or replaces the settings of the alarm of that name (tags stay). */
    void put(AlarmDefinition alarm);

    /** Deletes these alarms. */
    void delete(List<String> alarmNames);
}
