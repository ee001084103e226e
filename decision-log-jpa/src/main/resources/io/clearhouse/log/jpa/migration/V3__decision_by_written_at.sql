-- Pruning finds the finished transactions older than the retention by the time their last record was written: an
-- abort's outcome, or a commit's completion.
CREATE INDEX decision_record_finished_by_written_at
    ON decision_record (written_at) WHERE kind IN ('ABORT_OUTCOME', 'COMPLETION');
