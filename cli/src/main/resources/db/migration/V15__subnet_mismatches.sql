-- Read model: the open subnet mismatches of each machine. A SubnetMismatchDetected opens one (it
-- replaces an open one of the same project, kind, network and other project); a later completed run
-- of the project closes it, as does removing its network, or (for a subnet in use) the other
-- project's network. GET /api/mismatches reads its current list from here (docs/events.md).
CREATE TABLE subnet_mismatches (
    machine_id    VARCHAR(36)              NOT NULL,
    detected_at   BIGINT                   NOT NULL,
    project       VARCHAR(200)             NOT NULL,
    domain        VARCHAR(253),
    kind          VARCHAR(40)              NOT NULL,
    network       VARCHAR(200),
    existing_cidr VARCHAR(43),
    expected_cidr VARCHAR(43),
    other_project VARCHAR(200),
    recorded_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    run_id        UUID,
    PRIMARY KEY (machine_id, detected_at)
);
CREATE INDEX subnet_mismatches_project_idx ON subnet_mismatches (machine_id, project);

-- Refilled from the log on the first use after this migration (projection_position behind the head).
UPDATE projection_position SET position = 0;
