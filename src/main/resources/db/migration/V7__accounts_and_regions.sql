-- Where each recording's gateway is: its account (null: the recorder's own) and region (null for recordings made
-- before accounts existed: the recorder's own region). Every AWS call of a recording is made there.
alter table recording add column account varchar(12);
alter table recording add column region varchar(32);

-- An ALARM kept while the gateway's previous recording was stopping starts its recording in its own place.
alter table nat_gateway add column pending_alarm_account varchar(12);
alter table nat_gateway add column pending_alarm_region varchar(32);

-- Flow logs no recording knows are deleted where the reconciler found them.
alter table orphan_flow_log add column account varchar(12);
alter table orphan_flow_log add column region varchar(32);
