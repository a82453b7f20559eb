CREATE TABLE shadow_decisions (
    seq       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    component text NOT NULL,
    policy    text NOT NULL,
    release   text,
    at        bigint NOT NULL,
    action    text NOT NULL,
    evidence  text NOT NULL
);

CREATE INDEX shadow_decisions_by_component ON shadow_decisions (component, at);
