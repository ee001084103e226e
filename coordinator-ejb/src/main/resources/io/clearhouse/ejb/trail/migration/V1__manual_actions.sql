-- The audit trail of operators' manual actions: appended before the API answers, never updated but for the result
-- of an action that began, never deleted.
CREATE TABLE manual_action (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at             TIMESTAMP WITH TIME ZONE NOT NULL,
    actor          TEXT NOT NULL,
    action         TEXT NOT NULL CHECK (action IN ('settle', 'forced_settle', 'recovery_pass')),
    transaction_id TEXT,
    bank           TEXT,
    outcome        TEXT CHECK (outcome IN ('commit', 'rollback')),
    reason         TEXT,
    result         TEXT NOT NULL
);
