-- How many requests an audit entry stands for: 1, except for refused requests counted over a window and written as one
-- entry. The count is part of the entry's hash when it is not 1, so entries written before keep their hashes.
ALTER TABLE audit_log ADD COLUMN count INTEGER NOT NULL DEFAULT 1;
