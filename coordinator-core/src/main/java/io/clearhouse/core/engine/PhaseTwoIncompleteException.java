package io.clearhouse.core.engine;

import io.clearhouse.core.CoordinatorException;
import io.clearhouse.spi.Xid;
import java.util.List;

/**
 * Phase two of a decided transaction gave up on some branch after its retry limit. The outcome stands; the branch
 * stays in doubt at its bank until recovery resolves it from the decision log at the next open.
 */
public class PhaseTwoIncompleteException extends CoordinatorException {
    private final List<Xid> inDoubt;

    public PhaseTwoIncompleteException(String clientId, List<Xid> inDoubt) {
        super("transaction " + clientId + ": phase two gave up on " + inDoubt + "; recovery will finish it", null);
        this.inDoubt = List.copyOf(inDoubt);
    }

    public List<Xid> inDoubt() {
        return inDoubt;
    }
}
