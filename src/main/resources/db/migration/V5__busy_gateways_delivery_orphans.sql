-- An ALARM that arrives while the gateway's previous recording is still stopping is kept here, acknowledged, and
-- starts a recording as soon as the stop ends.
alter table nat_gateway add column pending_alarm_event_id varchar(128);
alter table nat_gateway add column pending_alarm_time timestamp with time zone;

-- Flow logs of a recording that DescribeFlowLogs reported as not delivering (DeliverLogsStatus FAILED), as JSON.
alter table recording add column delivery_failures varchar(65535) not null default '[]';

-- How many times a report was tried: one that found an interface silent is tried once more before it is final.
alter table recording_report add column attempts integer not null default 1;

-- Flow logs of the recorder's that no recording knows (a lost store), and when each must end: the reconciler stores
-- their deadline, and whichever replica sees it due first deletes them.
create table orphan_flow_log (
    flow_log_id  varchar(64) primary key,
    resource_id  varchar(64) not null,
    recording_id varchar(64),
    expires_at   timestamp with time zone not null,
    due_at       timestamp with time zone not null,
    noticed_at   timestamp with time zone not null
);

create index orphan_flow_log_due on orphan_flow_log (due_at);
