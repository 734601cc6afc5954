-- Who started a recording by hand (null: its alarm did), and who stopped one by hand.
alter table recording add column started_by varchar(128);
alter table recording add column stopped_by varchar(128);
