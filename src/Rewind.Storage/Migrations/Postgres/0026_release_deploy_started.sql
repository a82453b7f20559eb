-- When the release's latest deploy started: its first record since it last became the component's current release (as
-- deploying, or as deployed when no deploying record came first). recorded_at moves with every record (deploying, then
-- deployed); a restore to "just before the release" (`{{from.recorded-at}}` in a plan) needs the start. NULL when not
-- known: releases recorded before this column, and releases only seen serving.
ALTER TABLE releases ADD COLUMN deploy_started_at bigint;
