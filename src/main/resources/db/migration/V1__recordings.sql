-- One row per watched NAT gateway: the last alarm state time handled, the recording count, the active recording.
create table nat_gateway (
    gateway_id          varchar(64) primary key,
    last_state_time     timestamp with time zone,
    recordings_started  integer not null default 0,
    active_recording_id varchar(64),
    version             bigint not null
);

create table recording (
    id                 varchar(64) primary key,
    gateway_id         varchar(64) not null references nat_gateway (gateway_id),
    state              varchar(16) not null,
    trigger_event_id   varchar(128),
    created_at         timestamp with time zone not null,
    started_at         timestamp with time zone,
    tail_ends_at       timestamp with time zone,
    max_ends_at        timestamp with time zone not null,
    ended_at           timestamp with time zone,
    next_deadline      timestamp with time zone,
    stop_reason        varchar(32),
    failure            varchar(4000),
    interface_ids      varchar(65535) not null,
    flow_log_ids       varchar(65535) not null,
    interface_failures varchar(65535) not null,
    attempts           integer not null,
    version            bigint not null
);

create index recording_next_deadline on recording (next_deadline);
create index recording_gateway_created on recording (gateway_id, created_at);

-- Alarm events already handled, per gateway, so that a redelivered event causes no second AWS call.
create table processed_event (
    event_id   varchar(128) not null,
    gateway_id varchar(64) not null,
    verdict    varchar(16) not null,
    reason     varchar(64) not null,
    handled_at timestamp with time zone not null,
    primary key (event_id, gateway_id)
);

create index processed_event_handled_at on processed_event (handled_at);
