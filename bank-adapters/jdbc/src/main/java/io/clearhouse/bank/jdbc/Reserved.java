package io.clearhouse.bank.jdbc;

import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;

/** What the reservation step made of one branch of a prepare message. */
sealed interface Reserved {
    /** The branch is answered: by its earlier outcome, or by a refusal that left nothing behind. */
    record Answered(Vote vote) implements Reserved {}

    /**
     * The branch's holds are committed. {@code fresh} when this very message made them, else a repeated prepare
     * found them; an escrow bank votes COMMIT either way, an xa bank first makes sure the XA branch is prepared.
     */
    record Held(Xid xid, boolean fresh) implements Reserved {}
}
