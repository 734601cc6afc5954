-- Recordings of one VPC that start within a minute of each other share one reading of who holds its addresses: a
-- burst of a thousand spikes reads and keeps a VPC's interfaces once, not a thousand times. Rows written before keep
-- their own owners; new ones name the shared reading.
create table owner_snapshot (
    id       varchar(64) primary key,
    vpc_id   varchar(64) not null,
    taken_at timestamp with time zone not null,
    owners   varchar(10000000) not null
);
alter table recording_owners add column snapshot_id varchar(64);
alter table recording_owners alter column owners drop not null;
