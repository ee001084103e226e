-- Opening the log reads only what recovery needs: incarnations, and commit decisions that no completion follows.
-- This index finds a decision's completion without reading every completion row.
CREATE INDEX decision_record_completion_by_global_id
    ON decision_record USING hash (global_id) WHERE kind = 'COMPLETION';
