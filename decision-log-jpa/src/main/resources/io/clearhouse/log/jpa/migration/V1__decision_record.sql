-- The decision log: one row per DecisionRecord, in the order the log wrote them (sequence_number).
-- body holds the record in DecisionRecordCodec's binary form, which is what recovery trusts; the other columns
-- repeat what queries need and are checked against body when a row is read back.
CREATE SEQUENCE decision_record_sequence START WITH 1 INCREMENT BY 100;

CREATE TABLE decision_record (
    sequence_number    bigint        NOT NULL PRIMARY KEY,
    kind               varchar(16)   NOT NULL,
    incarnation_number bigint,
    global_id          text,
    client_id          text,
    reason             varchar(32),
    format_version     smallint      NOT NULL,
    body               bytea         NOT NULL,
    checksum           integer       NOT NULL,
    written_at         timestamptz   NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT decision_record_columns_fit_kind CHECK (
        (kind = 'INCARNATION' AND incarnation_number > 0
            AND global_id IS NULL AND client_id IS NULL AND reason IS NULL)
        OR (kind = 'COMMIT_DECISION' AND incarnation_number IS NULL
            AND global_id IS NOT NULL AND client_id IS NOT NULL AND reason IS NULL)
        OR (kind = 'ABORT_OUTCOME' AND incarnation_number IS NULL
            AND global_id IS NOT NULL AND client_id IS NOT NULL AND reason IS NOT NULL)
        OR (kind = 'COMPLETION' AND incarnation_number IS NULL
            AND global_id IS NOT NULL AND client_id IS NULL AND reason IS NULL))
);

-- Two coordinators opening one log at once would both pick the same next incarnation: one of them fails here.
CREATE UNIQUE INDEX decision_record_one_row_per_incarnation
    ON decision_record (incarnation_number) WHERE kind = 'INCARNATION';

-- A retried client id is answered from the log, also by the server's GET /api/transfers/{id}.
-- A hash index, because a btree entry cannot hold an id of the longest length records allow.
CREATE INDEX decision_record_by_client_id ON decision_record USING hash (client_id) WHERE client_id IS NOT NULL;
