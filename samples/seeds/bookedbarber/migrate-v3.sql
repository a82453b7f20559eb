-- Release v3's migration: meant to purge appointments that ended more than a year ago, but the interval's sign is
-- wrong, so it deletes every appointment before a year from now: the whole upcoming book. The drill bad-migration
-- deploys it; only a point-in-time restore of the database brings the rows back.
DELETE FROM appointments WHERE starts_at < now() + interval '1 year';
