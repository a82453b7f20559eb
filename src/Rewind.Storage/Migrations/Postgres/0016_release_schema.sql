-- A release records the database schema it runs on (the id of its newest migration), so a rollback past a schema
-- change can be refused unless its plan handles the database.
ALTER TABLE releases ADD COLUMN schema_version text;
