-- Read models, written in the same transaction as the append that feeds them
-- (dev.lok8s.lo.projection.Projector). `lo projections rebuild` empties and refills them.
CREATE TABLE projection_position (
    id       INT    NOT NULL PRIMARY KEY,
    position BIGINT NOT NULL
);
INSERT INTO projection_position (id, position) VALUES (1, 0);

CREATE TABLE registries (
    container     VARCHAR(200)             NOT NULL PRIMARY KEY,
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
    last_position BIGINT                   NOT NULL
);

CREATE TABLE networks (
    name          VARCHAR(200)             NOT NULL PRIMARY KEY,
    cidr          VARCHAR(43),
    scope         VARCHAR(20)              NOT NULL,
    project       VARCHAR(200),
    domain        VARCHAR(253),
    last_change   TIMESTAMP WITH TIME ZONE NOT NULL,
    last_position BIGINT                   NOT NULL
);

CREATE TABLE network_users (
    network VARCHAR(200) NOT NULL,
    node    VARCHAR(200) NOT NULL,
    project VARCHAR(200),
    domain  VARCHAR(253),
    PRIMARY KEY (network, node)
);

CREATE TABLE runs (
    run_id        UUID                     NOT NULL PRIMARY KEY,
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

CREATE TABLE run_steps (
    run_id      UUID                     NOT NULL,
    step_id     VARCHAR(200)             NOT NULL,
    outcome     VARCHAR(20),
    duration_ms BIGINT                   NOT NULL,
    recorded_at TIMESTAMP WITH TIME ZONE NOT NULL,
    position    BIGINT                   NOT NULL,
    PRIMARY KEY (run_id, step_id)
);

CREATE TABLE projects (
    name          VARCHAR(200) NOT NULL PRIMARY KEY,
    domain        VARCHAR(253),
    slot          INT,
    subnet        VARCHAR(43),
    network       VARCHAR(200),
    last_position BIGINT       NOT NULL
);
