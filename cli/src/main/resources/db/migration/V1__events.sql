-- The append-only event log. Nothing in lo updates or deletes a row of events.
-- position: global order, gap-free in commit order, assigned as store_head.position + 1
-- while store_head's only row is locked (SELECT ... FOR UPDATE) in the appending transaction.
CREATE TABLE events (
    position       BIGINT                   NOT NULL PRIMARY KEY,
    event_id       UUID                     NOT NULL,
    stream_id      VARCHAR(200)             NOT NULL,
    stream_version INT                      NOT NULL,
    event_type     VARCHAR(100)             NOT NULL,
    schema_version INT                      NOT NULL,
    domain         VARCHAR(253),
    -- JSON text; VARCHAR(1000000) rather than CLOB/TEXT keeps H2 from moving payloads to LOB storage
    payload        VARCHAR(1000000)         NOT NULL,
    run_id         UUID,
    command_line   VARCHAR(4000),
    os_user        VARCHAR(200),
    host           VARCHAR(253),
    lo_version     VARCHAR(100),
    recorded_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT events_event_id_uq UNIQUE (event_id),
    CONSTRAINT events_stream_version_uq UNIQUE (stream_id, stream_version)
);
-- History reads newest first: position DESC in the index lets H2 read only the page it returns
-- ("index sorted"), provided the query orders by the index's equality columns too (EventStore.query).
CREATE INDEX events_type_idx ON events (event_type, position DESC);
CREATE INDEX events_run_idx ON events (run_id, position DESC);
CREATE INDEX events_domain_idx ON events (domain, position DESC);
CREATE INDEX events_domain_type_idx ON events (domain, event_type, position DESC);
CREATE INDEX events_recorded_at_idx ON events (recorded_at);

CREATE TABLE store_head (
    id       INT    NOT NULL PRIMARY KEY,
    position BIGINT NOT NULL
);
INSERT INTO store_head (id, position) VALUES (1, 0);
