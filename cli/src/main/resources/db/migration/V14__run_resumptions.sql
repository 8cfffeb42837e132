-- Read model: every time a run was resumed (RunResumed), by which process, and what had happened to
-- the process before it (failed, or interrupted: gone without an end; LeaseTakenOver confirms the
-- latter). Runs recorded before this migration get their rows from `lo projections rebuild`.
CREATE TABLE run_resumptions (
    run_id               UUID                     NOT NULL,
    position             BIGINT                   NOT NULL,
    resumed_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    pid                  BIGINT                   NOT NULL,
    host                 VARCHAR(253),
    completed_steps      INT                      NOT NULL,
    previous_status      VARCHAR(20),
    previous_pid         BIGINT,
    previous_host        VARCHAR(253),
    previous_error       VARCHAR(4000),
    previous_failed_step VARCHAR(200),
    lease_taken_over     BOOLEAN                  NOT NULL,
    lease_held_since     TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (run_id, position)
);
