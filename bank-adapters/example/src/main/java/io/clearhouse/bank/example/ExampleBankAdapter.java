package io.clearhouse.bank.example;

import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import io.clearhouse.spi.AccountBalance;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankException;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A bank kept in one file, written for reading rather than for speed: every method that touches the state is {@code
 * synchronized}, so calls run one at a time, and every call that changes the bank rewrites the whole file ({@link BankFile}) before it
 * answers. A change is made on a copy of the state, the copy is written, and only then does it replace the state in
 * memory: if the write fails, the caller gets a {@link BankException} and the bank is exactly as before.
 *
 * <p>Which calls write before they answer, and why:
 *
 * <ul>
 *   <li>{@link #prepare} that votes {@code COMMIT}: the contract's hard rule. The coordinator may decide commit on the
 *       strength of the vote; a bank that lost the hold in a crash could not post it (the money may have been spent
 *       meanwhile), and recovery, which asks the banks what they hold prepared, would never hear of the branch.
 *   <li>{@link #commit} and {@link #rollback}: Clearhouse's coordinator keeps its commit decisions, and its recovery
 *       commits again a branch that a bank brings back prepared after a crash, so a bank may write phase two lazily.
 *       This one writes it before it answers all the same: an acknowledged commit then never turns back into a hold
 *       (balances a client has read never step back), and a caller that forgets a transaction once its commits
 *       returned, as an XA transaction manager does through the xa-bridge, can rely on the acknowledgement.
 *   <li>A rollback of a branch the bank never saw leaves a mark, so that the branch's late prepare is refused rather
 *       than holding money until recovery releases it; the mark is written for the same reasons.
 * </ul>
 *
 * Votes {@code ABORT} and {@code READ_ONLY}, repeated calls, and a commit of a branch the bank does not hold change
 * nothing and write nothing.
 */
public final class ExampleBankAdapter implements BankAdapter {
    private final String bankId;
    private final BankFile file;
    private final int finishedXidsMax;
    private BankState state;
    private boolean closed;

    private ExampleBankAdapter(BankFile file, int finishedXidsMax, BankState state) {
        this.bankId = state.bankId();
        this.file = file;
        this.finishedXidsMax = finishedXidsMax;
        this.state = state;
    }

    /**
     * Opens the bank kept in {@code file}, or creates the file with {@code initialBalances} when there is none yet.
     *
     * @throws BankException when the file cannot be read or written, is damaged, or belongs to another bank
     */
    static ExampleBankAdapter open(
            String bankId, Map<String, Long> initialBalances, BankFile file, int finishedXidsMax) {
        try {
            Optional<BankState> stored = file.read();
            if (stored.isPresent()) {
                if (!stored.get().bankId().equals(bankId)) {
                    throw new BankException(
                            bankId,
                            "the file " + file.path() + " belongs to bank "
                                    + stored.get().bankId());
                }
                return new ExampleBankAdapter(file, finishedXidsMax, stored.get());
            }
            BankState opening = BankState.opening(bankId, initialBalances);
            file.write(opening);
            return new ExampleBankAdapter(file, finishedXidsMax, opening);
        } catch (IOException e) {
            throw new BankException(bankId, "cannot open " + file.path(), e);
        }
    }

    @Override
    public String bankId() {
        return bankId;
    }

    @Override
    public synchronized Set<String> accounts() {
        checkOpen();
        return Set.copyOf(state.posted().keySet());
    }

    @Override
    public synchronized Vote prepare(Xid xid, List<Posting> postings) {
        checkOpen();
        if (state.isPrepared(xid) || state.outcome(xid).equals(Optional.of(BankState.Outcome.COMMITTED))) {
            return Vote.COMMIT;
        }
        if (state.outcome(xid).isPresent()) {
            // Rolled back before this prepare arrived: the coordinator has given up on the branch.
            return Vote.abort(Reason.TIMEOUT);
        }
        if (postings.isEmpty()) {
            return Vote.READ_ONLY;
        }
        Optional<Reason> refusal = state.refusal(postings);
        if (refusal.isPresent()) {
            return Vote.abort(refusal.get());
        }
        BankState next = state.copy();
        next.prepare(xid, postings);
        save(next);
        return Vote.COMMIT;
    }

    @Override
    public synchronized void commit(Xid xid) {
        checkOpen();
        if (!state.isPrepared(xid)) {
            // Never prepared here, or finished already: acknowledged, nothing to do.
            return;
        }
        BankState next = state.copy();
        next.commit(xid, finishedXidsMax);
        save(next);
    }

    @Override
    public synchronized void rollback(Xid xid) {
        checkOpen();
        if (state.outcome(xid).isPresent()) {
            // Finished already; a rollback never follows a commit of the same xid unless the coordinator is broken.
            return;
        }
        BankState next = state.copy();
        next.rollback(xid, finishedXidsMax);
        save(next);
    }

    @Override
    public synchronized Set<Xid> recover() {
        checkOpen();
        return Set.copyOf(state.prepared().keySet());
    }

    @Override
    public synchronized Optional<AccountBalance> account(String account) {
        checkOpen();
        return state.account(account);
    }

    @Override
    public synchronized Map<String, Long> postedBalances() {
        checkOpen();
        return new LinkedHashMap<>(state.posted());
    }

    @Override
    public synchronized long forcedWrites() {
        return file.forcedWrites();
    }

    @Override
    public synchronized void close() {
        // Everything is on disk already: each change was written before its call returned.
        closed = true;
    }

    private void save(BankState next) {
        try {
            file.write(next);
        } catch (IOException e) {
            throw new BankException(bankId, "cannot write " + file.path(), e);
        }
        state = next;
    }

    private void checkOpen() {
        if (closed) {
            throw new BankException(bankId, "closed");
        }
    }
}
