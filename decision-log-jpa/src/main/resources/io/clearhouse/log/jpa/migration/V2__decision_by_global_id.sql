-- Opening the log reads only what recovery must drive: incarnations, and commit decisions that no completion
-- follows; recovery asks for any other commit decision by global id when a bank still holds one of its branches.
-- This index serves both: a decision's completion, and a decision by its global id.
CREATE INDEX decision_record_decision_by_global_id
    ON decision_record USING hash (global_id) WHERE kind IN ('COMMIT_DECISION', 'COMPLETION');
