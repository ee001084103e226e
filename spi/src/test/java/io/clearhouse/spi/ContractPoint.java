package io.clearhouse.spi;

/**
 * The rules of the {@link BankAdapter} contract, each with a short identifier that stays stable, so that a failure of
 * the conformance kit says which rule the adapter broke: "contract point C7 commit-idempotent (a repeated commit posts
 * once) broken: ...". docs/writing-an-adapter.md lists them under "The contract, in short". New points are added at
 * the end; a point is never renumbered.
 */
public enum ContractPoint {
    C1("prepare-holds", "a COMMIT vote holds a debit's amount and reserves a credit's room, and posts nothing"),
    C2("commit-posts", "a commit posts the branch's postings and releases what its prepare held"),
    C3("rollback-releases", "a rollback releases what the branch's prepare held and posts nothing"),
    C4(
            "votes",
            "prepare votes COMMIT when the branch is covered, READ_ONLY without postings, and ABORT with"
                    + " UNKNOWN_ACCOUNT, INSUFFICIENT_FUNDS or BALANCE_OVERFLOW otherwise"),
    C5("abort-leaves-nothing", "a branch that voted ABORT holds nothing and is not listed by recover()"),
    C6("prepare-idempotent", "a repeated prepare of a prepared or committed xid votes COMMIT and holds nothing more"),
    C7("commit-idempotent", "a repeated commit posts once"),
    C8("rollback-idempotent", "a repeated rollback releases once"),
    C9("late-prepare-aborts", "a prepare after a rollback of the same xid votes ABORT(TIMEOUT) and holds nothing"),
    C10(
            "unknown-acknowledged",
            "a commit or rollback of an xid the bank does not hold is acknowledged and changes" + " nothing"),
    C11("vote-durable", "after close and reopen a prepared branch is still held and listed by recover()"),
    C12("outcome-durable", "after close and reopen commits and rollbacks stay applied and late prepares still abort"),
    C13("recover-exact", "recover() lists exactly the xids prepared and not yet committed or rolled back"),
    C14("never-negative", "no posted balance or hold is negative, and no hold exceeds its posted balance"),
    C15(
            "messages-as-calls",
            "each branch of prepareMany, commitMany and rollbackMany follows the rules of its single call, in the"
                    + " message's order, with one vote per branch"),
    C16(
            "thread-safe",
            "concurrent calls keep every rule: money is conserved, each committed branch is applied once, no call"
                    + " hangs"),
    C17("prepare-async", "prepareAsync votes and holds as prepare does, also when repeated or rolled back early"),
    C18(
            "reads",
            "bankId(), accounts(), account() and postedBalances() show the bank as configured and its committed"
                    + " postings, in the order of the opening balances");

    private static final String PREFIX = "contract point ";

    private final String slug;
    private final String rule;

    ContractPoint(String slug, String rule) {
        this.slug = slug;
        this.rule = rule;
    }

    /** The stable short name, such as {@code commit-idempotent}. */
    public String slug() {
        return slug;
    }

    /** The rule in one sentence. */
    public String rule() {
        return rule;
    }

    /** {@code C7 commit-idempotent (a repeated commit posts once)}. */
    public String title() {
        return name() + " " + slug + " (" + rule + ")";
    }

    /** An assertion failure that names this point before {@code detail}. */
    public AssertionError broken(String detail, Throwable cause) {
        AssertionError error = new AssertionError(PREFIX + title() + " broken: " + detail, cause);
        if (cause != null) {
            error.setStackTrace(cause.getStackTrace());
        }
        return error;
    }

    /** Runs {@code assertions}; a failure among them comes out naming this point. */
    public void check(Runnable assertions) {
        try {
            assertions.run();
        } catch (AssertionError e) {
            throw named(e);
        }
    }

    /** {@code failure} naming this point, or as it is when it already names one (the more precise). */
    AssertionError named(AssertionError failure) {
        if (namesAPoint(failure)) {
            return failure;
        }
        return broken(String.valueOf(failure.getMessage()).strip(), failure);
    }

    static boolean namesAPoint(Throwable failure) {
        return failure.getMessage() != null && failure.getMessage().startsWith(PREFIX);
    }
}
