-- Several machines on one store (a team's PostgreSQL): every event carries the machine it happened
-- on, and the read models and leases are per machine. Events before this migration have no machine
-- (NULL): the machine that reads them counts them as its own (docs/events.md, "A store for a team").
ALTER TABLE events ADD COLUMN machine_id VARCHAR(36);
CREATE INDEX events_machine_idx ON events (machine_id, position DESC);

-- The read models are rebuilt from the log with their new keys: emptied here, refilled by lo on
-- the first use after the migration (projection_position behind the head: StoreSchema).
DROP TABLE registries;
CREATE TABLE registries (
    machine_id    VARCHAR(36)              NOT NULL,
    container     VARCHAR(200)             NOT NULL,
    role          VARCHAR(20)              NOT NULL,
    scope         VARCHAR(20)              NOT NULL,
    project       VARCHAR(200),
    domain        VARCHAR(253),
    network       VARCHAR(200),
    ip            VARCHAR(45),
    state         VARCHAR(20)              NOT NULL,
    upstream      VARCHAR(1000),
    image         VARCHAR(500),
    config_hash   VARCHAR(100),
    last_change   TIMESTAMP WITH TIME ZONE NOT NULL,
    last_position BIGINT                   NOT NULL,
    PRIMARY KEY (machine_id, container)
);

DROP TABLE networks;
CREATE TABLE networks (
    machine_id    VARCHAR(36)              NOT NULL,
    name          VARCHAR(200)             NOT NULL,
    cidr          VARCHAR(43),
    scope         VARCHAR(20)              NOT NULL,
    project       VARCHAR(200),
    domain        VARCHAR(253),
    last_change   TIMESTAMP WITH TIME ZONE NOT NULL,
    last_position BIGINT                   NOT NULL,
    PRIMARY KEY (machine_id, name)
);

DROP TABLE network_users;
CREATE TABLE network_users (
    machine_id VARCHAR(36)  NOT NULL,
    network    VARCHAR(200) NOT NULL,
    node       VARCHAR(200) NOT NULL,
    project    VARCHAR(200),
    domain     VARCHAR(253),
    PRIMARY KEY (machine_id, network, node)
);

DROP TABLE projects;
CREATE TABLE projects (
    machine_id    VARCHAR(36)  NOT NULL,
    name          VARCHAR(200) NOT NULL,
    domain        VARCHAR(253),
    slot          INT,
    subnet        VARCHAR(43),
    network       VARCHAR(200),
    last_position BIGINT       NOT NULL,
    PRIMARY KEY (machine_id, name)
);

DROP TABLE runs;
CREATE TABLE runs (
    run_id        UUID                     NOT NULL PRIMARY KEY,
    machine_id    VARCHAR(36)              NOT NULL,
    domain        VARCHAR(253),
    project       VARCHAR(200),
    command       VARCHAR(4000),
    status        VARCHAR(20)              NOT NULL,
    started_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    ended_at      TIMESTAMP WITH TIME ZONE,
    error         VARCHAR(4000),
    failed_step   VARCHAR(200),
    pid           BIGINT,
    host          VARCHAR(253),
    last_position BIGINT                   NOT NULL
);
CREATE INDEX runs_domain_idx ON runs (domain, started_at);
CREATE INDEX runs_machine_idx ON runs (machine_id, started_at);

DELETE FROM run_steps;

-- Every host name a machine has had, so `--host OLD-NAME` still finds a renamed machine's events.
CREATE TABLE machines (
    machine_id    VARCHAR(36)              NOT NULL,
    host          VARCHAR(253)             NOT NULL,
    first_seen    TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (machine_id, host)
);

UPDATE projection_position SET position = 0;

-- One run per project and machine at a time. Coordination state, not history: leases held while
-- the store is migrated are dropped (their runs, if still alive, fail to release and end normally).
DROP TABLE leases;
CREATE TABLE leases (
    machine_id  VARCHAR(36)              NOT NULL,
    project     VARCHAR(200)             NOT NULL,
    run_id      UUID                     NOT NULL,
    pid         BIGINT                   NOT NULL,
    host        VARCHAR(253)             NOT NULL,
    acquired_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (machine_id, project)
);
