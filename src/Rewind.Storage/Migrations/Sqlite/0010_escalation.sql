-- The highest escalation level an incident reached (0: none). Only ever raised, by a conditional update together with
-- the timeline entry that pages the level, so a level is paged once even across restarts and replicas.
ALTER TABLE incidents ADD COLUMN escalation_level INTEGER NOT NULL DEFAULT 0;
-- The escalation clock reads the open incidents every second.
CREATE INDEX incidents_open ON incidents (opened_at) WHERE status <> 'resolved';
