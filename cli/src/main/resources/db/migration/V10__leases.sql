-- One run per project at a time. A row is the lease; its holder is a process on a host.
-- Not an event table: leases are coordination state, and taking one over is recorded as an event.
CREATE TABLE leases (
    project     VARCHAR(200)             NOT NULL PRIMARY KEY,
    run_id      UUID                     NOT NULL,
    pid         BIGINT                   NOT NULL,
    host        VARCHAR(253)             NOT NULL,
    acquired_at TIMESTAMP WITH TIME ZONE NOT NULL
);
