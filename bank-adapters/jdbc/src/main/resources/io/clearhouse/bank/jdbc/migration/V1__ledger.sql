-- The ledger of one bank. Flyway runs this with the bank's schema as the default schema, so nothing here names it.

-- An account: its posted balance, the part of it held by prepared debits, and the room reserved by prepared credits
-- (so that committing them can never overflow a bigint). position keeps the order the accounts were opened in.
CREATE TABLE account (
    id              text    PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 1024),
    position        integer NOT NULL UNIQUE,
    posted          bigint  NOT NULL CHECK (posted >= 0),
    held            bigint  NOT NULL DEFAULT 0 CHECK (held >= 0 AND held <= posted),
    credit_reserved bigint  NOT NULL DEFAULT 0
        CHECK (credit_reserved >= 0 AND credit_reserved <= 9223372036854775807 - posted)
);

-- A branch the bank has seen, keyed by the coordinator's xid. HELD: its reservation is made (escrow mode: prepared;
-- xa mode: prepared once its PREPARE TRANSACTION is listed in pg_prepared_xacts). COMMITTED: xa mode only, set inside
-- the prepared transaction, so COMMIT PREPARED is the commit; the holds are then posted. POSTED and ROLLED_BACK are
-- final, kept to answer late and repeated calls until finished_at is older than the bank's retention.
CREATE TABLE branch (
    transaction_id text        NOT NULL CHECK (length(transaction_id) BETWEEN 1 AND 1024),
    bank_id        text        NOT NULL CHECK (length(bank_id) BETWEEN 1 AND 1024),
    state          text        NOT NULL CHECK (state IN ('HELD', 'COMMITTED', 'POSTED', 'ROLLED_BACK')),
    finished_at    timestamptz CHECK ((finished_at IS NULL) = (state IN ('HELD', 'COMMITTED'))),
    PRIMARY KEY (transaction_id, bank_id)
);

CREATE INDEX branch_unfinished ON branch (state) WHERE state IN ('HELD', 'COMMITTED');
CREATE INDEX branch_finished_at ON branch (finished_at) WHERE finished_at IS NOT NULL;

-- The postings of a branch that is not finished: what to post on commit and to release on rollback.
CREATE TABLE branch_posting (
    transaction_id text   NOT NULL,
    bank_id        text   NOT NULL,
    account        text   NOT NULL REFERENCES account (id),
    amount         bigint NOT NULL CHECK (amount <> 0 AND amount <> -9223372036854775808),
    PRIMARY KEY (transaction_id, bank_id, account),
    FOREIGN KEY (transaction_id, bank_id) REFERENCES branch (transaction_id, bank_id) ON DELETE CASCADE
);

-- The bank that owns this schema: a second bank configured with the same database and schema is refused at open
-- instead of mixing its accounts into these.
CREATE TABLE bank_owner (
    bank_id   text    NOT NULL CHECK (length(bank_id) BETWEEN 1 AND 1024),
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton)
);
