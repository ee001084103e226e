package io.clearhouse.spi;

import io.clearhouse.api.Reason;
import java.util.Objects;

/** A bank's answer to {@link BankAdapter#prepare}. An expected business refusal is a vote, never an exception. */
public sealed interface Vote {
    /** The branch is prepared and its reservation is durable: the bank will commit it when told to. */
    Commit COMMIT = new Commit();
    /** The bank has nothing to apply for this branch and needs no second phase. */
    ReadOnly READ_ONLY = new ReadOnly();

    static Abort abort(Reason reason) {
        return new Abort(reason);
    }

    record Commit() implements Vote {}

    record ReadOnly() implements Vote {}

    /** The bank refuses the branch and keeps nothing of it. */
    record Abort(Reason reason) implements Vote {
        public Abort {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
