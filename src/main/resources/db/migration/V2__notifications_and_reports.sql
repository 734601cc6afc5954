-- When the end-of-recording notification is due (a completed recording waits for its flow log records to arrive),
-- and when it went out: notifications are delivered at least once, across restarts.
alter table recording add column notify_at timestamp with time zone;
alter table recording add column notified_at timestamp with time zone;
create index recording_notify_at on recording (notify_at);

-- The spike report of a recording, as JSON, and the summary its notification carried.
create table recording_report (
    recording_id varchar(64) primary key references recording (id),
    status       varchar(16) not null,
    detail       varchar(4000),
    report       varchar(1000000),
    summary      varchar(100000),
    created_at   timestamp with time zone not null
);
