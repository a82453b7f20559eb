-- When a release was first seen serving (its version read from the component's version source, or its first counted
-- request): time to detect is measured from it, so a late `release record` does not shorten it.
ALTER TABLE releases ADD COLUMN first_served_at bigint;
