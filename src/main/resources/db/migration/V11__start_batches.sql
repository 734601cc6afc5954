-- Recordings that start together share one CreateFlowLogs. Its members are written down before the call, so a retry
-- or a restart sends the same call again to the letter (same ClientToken, same resources, same tags), and EC2 answers
-- with the flow logs it made the first time, never new ones. The flow logs of a shared call carry the batch's token as
-- a tag; with its member rows the reconciler knows which recording each belongs to.
create table start_batch_member (
    recording_id varchar(64) primary key,
    token varchar(64) not null,
    position integer not null,
    nat_gateway_id varchar(64) not null,
    mode varchar(16) not null,
    resource_ids varchar(4000) not null,
    expires_at timestamp with time zone not null
);
create index start_batch_member_token on start_batch_member (token);
