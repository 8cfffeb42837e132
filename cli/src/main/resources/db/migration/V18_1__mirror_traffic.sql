-- Read models of what each pull-through mirror served, fed by MirrorLogRead events (lo reads a
-- mirror's log from where it stopped and records a summary): where the next read starts, the newest
-- pull of each image (for lo registry prune), and blob requests per hour and client as hits and
-- misses (lo registry usage, GET /api/registries/usage, metrics). docs/registry-commands.md.
CREATE TABLE mirror_log_reads (
    machine_id   VARCHAR(36)  NOT NULL,
    mirror       VARCHAR(200) NOT NULL,
    container_id VARCHAR(80),
    until_at     VARCHAR(40)  NOT NULL,
    PRIMARY KEY (machine_id, mirror)
);

CREATE TABLE mirror_pulls (
    machine_id  VARCHAR(36)              NOT NULL,
    mirror      VARCHAR(200)             NOT NULL,
    repository  VARCHAR(300)             NOT NULL,
    reference   VARCHAR(200)             NOT NULL,
    last_pulled TIMESTAMP WITH TIME ZONE NOT NULL,
    pulls       BIGINT                   NOT NULL,
    PRIMARY KEY (machine_id, mirror, repository, reference)
);

CREATE TABLE mirror_traffic (
    machine_id VARCHAR(36)              NOT NULL,
    mirror     VARCHAR(200)             NOT NULL,
    hour_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    client     VARCHAR(64)              NOT NULL,
    project    VARCHAR(200),
    hits       BIGINT                   NOT NULL,
    misses     BIGINT                   NOT NULL,
    hit_bytes  BIGINT                   NOT NULL,
    miss_bytes BIGINT                   NOT NULL,
    PRIMARY KEY (machine_id, mirror, hour_at, client)
);

-- A node's address on a network (NodeConnected), so a mirror's client can be told as a project.
ALTER TABLE network_users ADD COLUMN ip VARCHAR(45);

-- Refilled from the log on the first use after this migration (projection_position behind the head).
UPDATE projection_position SET position = 0;
