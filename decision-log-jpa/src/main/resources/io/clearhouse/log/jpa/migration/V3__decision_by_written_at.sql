-- Pruning finds the finished transactions older than the retention by the time their last record was written: an
-- abort's outcome, or a commit's completion; and, after deleting them, the commit decisions older than the cutoff that
-- stay (still waiting for a bank), whose client ids the id filter must keep. Without the index, each pruning would
-- read the whole table.
CREATE INDEX decision_record_pruning_by_written_at
    ON decision_record (written_at) WHERE kind IN ('ABORT_OUTCOME', 'COMPLETION', 'COMMIT_DECISION');
