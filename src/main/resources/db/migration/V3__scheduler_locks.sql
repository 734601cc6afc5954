-- ShedLock: which replica runs a singleton task (the flow log reconciler) until when.
create table shedlock (
    name       varchar(64) primary key,
    lock_until timestamp with time zone not null,
    locked_at  timestamp with time zone not null,
    locked_by  varchar(255) not null
);
