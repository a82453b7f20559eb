CREATE TABLE shadow_decisions (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    component TEXT NOT NULL,
    policy    TEXT NOT NULL,
    release   TEXT,
    at        INTEGER NOT NULL,
    action    TEXT NOT NULL,
    evidence  TEXT NOT NULL
);

CREATE INDEX shadow_decisions_by_component ON shadow_decisions (component, at);
