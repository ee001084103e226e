-- Batches posted with an Idempotency-Key: the first run's answer, so that a retry gets it again without running.
CREATE TABLE batch_run (
    idempotency_key VARCHAR(255) PRIMARY KEY,
    body_sha256 BYTEA NOT NULL,
    -- The server instance running it: a row still RUNNING under another instance was left by a server that stopped.
    runner VARCHAR(64) NOT NULL,
    state VARCHAR(16) NOT NULL CHECK (state IN ('RUNNING', 'DONE')),
    answer_gzip BYTEA,
    started_at TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at TIMESTAMP WITH TIME ZONE,
    CHECK ((state = 'DONE') = (answer_gzip IS NOT NULL))
);
