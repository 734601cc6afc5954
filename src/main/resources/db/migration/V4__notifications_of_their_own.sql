-- End-of-recording notifications get a table of their own (the notification module owns it): when each is due, who
-- holds it (a lease while a replica delivers it), how many attempts it took, how it ended, and the text it carried.
create table notification (
    recording_id varchar(64) primary key references recording (id),
    status       varchar(16) not null,
    due_at       timestamp with time zone not null,
    attempts     integer not null default 0,
    subject      varchar(200),
    body         varchar(300000),
    error        varchar(4000),
    sent_at      timestamp with time zone,
    created_at   timestamp with time zone not null
);

create index notification_status_due on notification (status, due_at);

-- Every notification the recording table knew, pending or sent.
insert into notification (recording_id, status, due_at, attempts, sent_at, created_at)
select id,
       case when notified_at is null then 'PENDING' else 'SENT' end,
       notify_at,
       case when notified_at is null then 0 else 1 end,
       notified_at,
       coalesce(ended_at, created_at)
from recording
where notify_at is not null;

-- recording.notify_at and notified_at stay for replicas of the previous version during a rolling update; nothing
-- reads them any more, and a later migration drops them.
