package io.clearhouse.spi;

import io.clearhouse.api.Posting;
import java.util.List;
import java.util.Objects;

/**
 * One branch of a prepare message ({@link BankAdapter#prepareMany}): the xid and its postings on the bank's accounts,
 * the same two arguments a single {@link BankAdapter#prepare} takes.
 *
 * @param xid the branch
 * @param postings the postings on the bank's accounts, each account at most once
 */
public record BranchPrepare(Xid xid, List<Posting> postings) {
    public BranchPrepare {
        Objects.requireNonNull(xid, "xid");
        Objects.requireNonNull(postings, "postings");
    }
}
