-- The approvers' second factor: a TOTP secret per user and the last time step used (a code is good once).
ALTER TABLE users ADD COLUMN totp_secret text;
ALTER TABLE users ADD COLUMN totp_last_step bigint;
