package io.clearhouse.core.engine;

import io.clearhouse.api.Posting;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.ForwardingBank;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bank that prepares asynchronously, with its votes in the test's hands: each prepare reserves in the real bank at
 * once, as an asynchronous bank does, and its stage completes only when the test says, on the test's thread.
 */
final class AsyncVotingBank extends ForwardingBank {
    private final LinkedBlockingQueue<PendingVote> pending = new LinkedBlockingQueue<>();

    AsyncVotingBank(BankAdapter real) {
        super(real);
    }

    record PendingVote(Vote vote, CompletableFuture<Vote> stage) {
        void deliver() {
            stage.complete(vote);
        }

        void fail(RuntimeException failure) {
            stage.completeExceptionally(failure);
        }
    }

    @Override
    public boolean nonBlocking() {
        return false;
    }

    @Override
    public boolean preparesAsynchronously() {
        return true;
    }

    @Override
    public CompletionStage<Vote> prepareAsync(Xid xid, List<Posting> postings) {
        PendingVote vote = new PendingVote(real.prepare(xid, postings), new CompletableFuture<>());
        pending.add(vote);
        return vote.stage();
    }

    @Override
    public Vote prepare(Xid xid, List<Posting> postings) {
        throw new AssertionError("the coordinator must prepare an asynchronous bank with prepareAsync");
    }

    /** The next prepare the bank received and has not voted on yet. */
    PendingVote nextPrepare() throws InterruptedException {
        PendingVote vote = pending.poll(10, TimeUnit.SECONDS);
        if (vote == null) {
            throw new AssertionError("no prepare reached the bank within 10 s");
        }
        return vote;
    }
}
