-- Who held each private address of a recording's VPC when its flow logs were created (DescribeNetworkInterfaces),
-- as JSON: addresses are reused, so the report names the owners of that time, not of when it is read.
create table recording_owners (
    recording_id varchar(64) primary key,
    taken_at     timestamp with time zone not null,
    owners       varchar(10000000) not null
);
