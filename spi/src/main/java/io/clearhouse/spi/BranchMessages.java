package io.clearhouse.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/** The default message calls of {@link BankAdapter}: each branch through its single call, in order. */
final class BranchMessages {
    private BranchMessages() {}

    static CompletionStage<List<Vote>> prepareOneByOne(BankAdapter bank, List<BranchPrepare> branches) {
        if (!bank.preparesAsynchronously()) {
            try {
                List<Vote> votes = new ArrayList<>(branches.size());
                for (BranchPrepare branch : branches) {
                    votes.add(bank.prepare(branch.xid(), branch.postings()));
                }
                return CompletableFuture.completedFuture(votes);
            } catch (BankException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        List<CompletableFuture<Vote>> pending = new ArrayList<>(branches.size());
        try {
            for (BranchPrepare branch : branches) {
                pending.add(bank.prepareAsync(branch.xid(), branch.postings()).toCompletableFuture());
            }
        } catch (BankException e) {
            return CompletableFuture.failedFuture(e);
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                .handle((ignored, failure) -> {
                    if (failure != null) {
                        throw failure instanceof CompletionException completion
                                ? completion
                                : new CompletionException(failure);
                    }
                    List<Vote> votes = new ArrayList<>(pending.size());
                    for (CompletableFuture<Vote> vote : pending) {
                        votes.add(vote.join());
                    }
                    return votes;
                });
    }

    static CompletionStage<Void> oneByOne(BankAdapter bank, List<Xid> xids, Consumer<Xid> call) {
        try {
            for (Xid xid : xids) {
                call.accept(xid);
            }
            return CompletableFuture.completedFuture(null);
        } catch (BankException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
