-- An orphan flow log deleted at its deadline is marked, not forgotten at once: the reconciler forgets it only once its
-- own listing no longer shows the flow log, so a pass that listed it just before the deletion never deletes and
-- counts it a second time.
alter table orphan_flow_log add column deleted_at timestamp with time zone;
