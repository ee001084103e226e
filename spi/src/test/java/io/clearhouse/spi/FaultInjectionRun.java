package io.clearhouse.spi;

import io.clearhouse.api.Posting;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A seeded script of random branches against one bank, with faults a coordinator and a network cause: duplicated
 * calls, calls out of order (a commit again after other branches' messages, a prepare after its rollback, a rollback
 * of a branch never prepared), prepare messages whose branches vote differently, commit and rollback messages that
 * mix new, finished and unknown xids, and, for a durable bank, close and reopen between two calls. A {@link BankModel}
 * takes every call too; after each call the bank's balances, holds and {@link BankAdapter#recover()} must match it.
 *
 * <p>A failure names the contract point the call broke, the seed, and the script of that seed up to the failure with
 * the bank's answers. Seeds of one test run one after the other on one bank (a durable bank cannot be emptied between
 * them), each starting from the balances the previous one left, so a failure replays with the first seed and the
 * number of seeds up to the failing one, which the message gives.
 */
final class FaultInjectionRun {
    /** How the run closes the bank and opens it again; a bank that keeps nothing durable cannot. */
    interface Restarter {
        Restarter NOT_DURABLE = bank -> {
            throw new IllegalStateException("a bank that keeps nothing durable is never reopened");
        };

        /** Closes {@code bank} and returns the same bank opened again. */
        BankAdapter restart(BankAdapter bank);
    }

    /**
     * The shape of one seed's script.
     *
     * @param steps the calls (and reopens) of one seed, before the calls that finish every branch left prepared
     * @param reopens how many times the bank is closed and reopened between two steps, at random positions; {@code
     *     steps - 1} or more reopens it between every two
     */
    record Settings(int steps, int reopens) {}

    /** The seeds of one test: {@code count} seeds from {@code first}. */
    record Seeds(long first, int count) {}

    private static final String UNKNOWN_ACCOUNT = "nowhere";
    private static final long STAGE_TIMEOUT_SECONDS = 30;
    private static final List<ContractPoint> MOST_SPECIFIC_FIRST = List.of(
            ContractPoint.C5,
            ContractPoint.C7,
            ContractPoint.C8,
            ContractPoint.C6,
            ContractPoint.C9,
            ContractPoint.C10,
            ContractPoint.C11,
            ContractPoint.C12,
            ContractPoint.C17,
            ContractPoint.C1,
            ContractPoint.C2,
            ContractPoint.C3,
            ContractPoint.C4);

    private final Seeds seeds;
    private final int seedIndex;
    private final long seed;
    private final Settings settings;
    private final Restarter restarter;
    private final Random random;
    private final BankModel model;
    private final List<String> script = new ArrayList<>();
    private BankAdapter bank;
    private int nextBranch;

    private FaultInjectionRun(BankAdapter bank, Seeds seeds, int seedIndex, Settings settings, Restarter restarter) {
        this.bank = bank;
        this.seeds = seeds;
        this.seedIndex = seedIndex;
        this.seed = seeds.first() + seedIndex;
        this.settings = settings;
        this.restarter = restarter;
        this.random = new Random(seed);
        this.model = new BankModel(bank.postedBalances());
    }

    /**
     * Runs every seed on {@code bank}, which must be at rest, and returns the bank as it is open at the end (another
     * instance when the run reopened it).
     */
    static BankAdapter run(BankAdapter bank, Seeds seeds, Settings settings, Restarter restarter) {
        BankAdapter current = bank;
        for (int index = 0; index < seeds.count(); index++) {
            current = new FaultInjectionRun(current, seeds, index, settings, restarter).runSeed();
        }
        return current;
    }

    private BankAdapter runSeed() {
        script.add("opening posted balances " + model.postedBalances());
        Set<Integer> reopenAfter = reopenPositions();
        for (int step = 0; step < settings.steps(); step++) {
            step();
            if (reopenAfter.contains(step)) {
                reopen();
            }
        }
        finishEveryBranch();
        return bank;
    }

    private Set<Integer> reopenPositions() {
        Set<Integer> positions = new TreeSet<>();
        int reopens = Math.min(settings.reopens(), settings.steps() - 1);
        while (positions.size() < reopens) {
            positions.add(random.nextInt(settings.steps() - 1));
        }
        return positions;
    }

    private void step() {
        int choice = random.nextInt(100);
        if (choice < 25) {
            prepareOne(newXid(), randomPostings());
        } else if (choice < 45) {
            prepareMessage();
        } else if (choice < 60) {
            finishOne();
        } else if (choice < 70) {
            commitMessage();
        } else if (choice < 80) {
            rollbackMessage();
        } else {
            repeatOrReorder();
        }
    }

    private Xid newXid() {
        return new Xid("s" + seed + "-t" + nextBranch++, bank.bankId());
    }

    // The single calls.

    private void prepareOne(Xid xid, List<Posting> postings) {
        boolean async = random.nextInt(4) == 0;
        BankModel.Expected expected = model.prepare(xid, postings, async ? ContractPoint.C17 : ContractPoint.C4);
        String call = (async ? "prepareAsync " : "prepare ") + xid + " " + show(postings);
        Vote vote = call(
                call,
                expected.votePoint(),
                () -> async ? await(bank.prepareAsync(xid, postings)) : bank.prepare(xid, postings));
        expectVote(expected, vote, xid);
        verify(expected.statePoint());
    }

    private void commitOne(Xid xid, String why) {
        ContractPoint point = model.commit(xid);
        call("commit " + xid + why, point, () -> {
            bank.commit(xid);
            return "acknowledged";
        });
        verify(point);
    }

    private void rollbackOne(Xid xid, String why) {
        ContractPoint point = model.rollback(xid);
        call("rollback " + xid + why, point, () -> {
            bank.rollback(xid);
            return "acknowledged";
        });
        verify(point);
    }

    private void finishOne() {
        Optional<BankModel.Branch> prepared = pick(BankModel.BranchState.PREPARED);
        if (prepared.isEmpty()) {
            prepareOne(newXid(), randomPostings());
        } else if (random.nextBoolean()) {
            commitOne(prepared.get().xid, "");
        } else {
            rollbackOne(prepared.get().xid, "");
        }
    }

    /** A call the contract says must be harmless: a repeat, or one that arrives before or after its time. */
    private void repeatOrReorder() {
        switch (random.nextInt(6)) {
            case 0 ->
                pick(BankModel.BranchState.COMMITTED)
                        .ifPresentOrElse(branch -> commitOne(branch.xid, " (again)"), this::rollbackUnknown);
            case 1 ->
                pick(BankModel.BranchState.ROLLED_BACK)
                        .ifPresentOrElse(branch -> rollbackOne(branch.xid, " (again)"), this::rollbackUnknown);
            case 2 ->
                pickPreparedOrCommitted()
                        .ifPresentOrElse(branch -> prepareOne(branch.xid, branch.postings), this::commitUnknown);
            case 3 ->
                pick(BankModel.BranchState.ROLLED_BACK)
                        .ifPresentOrElse(branch -> prepareOne(branch.xid, latePostings(branch)), this::rollbackUnknown);
            case 4 ->
                pick(BankModel.BranchState.ABORTED)
                        .ifPresentOrElse(branch -> rollbackOne(branch.xid, " (voted abort)"), this::commitUnknown);
            default -> rollbackUnknown();
        }
    }

    private void rollbackUnknown() {
        rollbackOne(newXid(), " (never prepared)");
    }

    private void commitUnknown() {
        // An xid committed before any prepare is never prepared afterwards: the contract leaves that case open.
        Xid stray = new Xid("s" + seed + "-stray" + nextBranch++, bank.bankId());
        call("commit " + stray + " (never prepared)", ContractPoint.C10, () -> {
            bank.commit(stray);
            return "acknowledged";
        });
        verify(ContractPoint.C10);
    }

    // The messages.

    private void prepareMessage() {
        List<BranchPrepare> branches = new ArrayList<>();
        int fresh = 1 + random.nextInt(3);
        for (int i = 0; i < fresh; i++) {
            branches.add(new BranchPrepare(newXid(), randomPostings()));
        }
        // Random postings are refused or read-only only now and then; a message mixes all three votes more often.
        if (random.nextBoolean()) {
            branches.add(new BranchPrepare(newXid(), refusedPostings()));
        }
        if (random.nextInt(4) == 0) {
            branches.add(new BranchPrepare(newXid(), List.of()));
        }
        if (random.nextBoolean()) {
            pickPreparedOrCommitted().ifPresent(branch -> branches.add(new BranchPrepare(branch.xid, branch.postings)));
        }
        if (random.nextBoolean()) {
            pick(BankModel.BranchState.ROLLED_BACK)
                    .ifPresent(branch -> branches.add(new BranchPrepare(branch.xid, latePostings(branch))));
        }
        Collections.shuffle(branches, random);
        List<BankModel.Expected> expected = new ArrayList<>();
        for (BranchPrepare branch : branches) {
            expected.add(model.prepare(branch.xid(), branch.postings(), ContractPoint.C4));
        }
        List<Vote> votes = call(
                "prepareMany " + showBranches(branches),
                ContractPoint.C15,
                () -> await(bank.prepareMany(List.copyOf(branches))));
        if (votes.size() != branches.size()) {
            fail(
                    ContractPoint.C15,
                    "prepareMany answered " + votes.size() + " votes for " + branches.size() + " branches",
                    null);
        }
        for (int i = 0; i < branches.size(); i++) {
            expectVote(expected.get(i), votes.get(i), branches.get(i).xid());
        }
        verify(mostSpecific(
                expected.stream().map(BankModel.Expected::statePoint).toList()));
    }

    private void commitMessage() {
        List<Xid> xids = new ArrayList<>();
        pickSome(BankModel.BranchState.PREPARED, 1 + random.nextInt(2)).forEach(branch -> xids.add(branch.xid));
        pickSome(BankModel.BranchState.COMMITTED, random.nextInt(2)).forEach(branch -> xids.add(branch.xid));
        if (random.nextInt(3) == 0) {
            xids.add(new Xid("s" + seed + "-stray" + nextBranch++, bank.bankId()));
        }
        finishMessage("commitMany", xids, model::commit, () -> bank.commitMany(List.copyOf(xids)));
    }

    private void rollbackMessage() {
        List<Xid> xids = new ArrayList<>();
        pickSome(BankModel.BranchState.PREPARED, random.nextInt(3)).forEach(branch -> xids.add(branch.xid));
        pickSome(BankModel.BranchState.ABORTED, random.nextInt(2)).forEach(branch -> xids.add(branch.xid));
        pickSome(BankModel.BranchState.ROLLED_BACK, random.nextInt(2)).forEach(branch -> xids.add(branch.xid));
        if (xids.isEmpty() || random.nextInt(3) == 0) {
            xids.add(newXid());
        }
        finishMessage("rollbackMany", xids, model::rollback, () -> bank.rollbackMany(List.copyOf(xids)));
    }

    private void finishMessage(
            String name, List<Xid> xids, Function<Xid, ContractPoint> modelCall, Supplier<CompletionStage<Void>> send) {
        if (xids.isEmpty()) {
            prepareOne(newXid(), randomPostings());
            return;
        }
        Collections.shuffle(xids, random);
        List<ContractPoint> points = new ArrayList<>();
        xids.forEach(xid -> points.add(modelCall.apply(xid)));
        call(name + " " + xids, ContractPoint.C15, () -> {
            await(send.get());
            return "acknowledged";
        });
        verify(mostSpecific(points));
    }

    private void reopen() {
        model.reopened();
        call("close and reopen", ContractPoint.C11, () -> {
            bank = restarter.restart(bank);
            return "reopened";
        });
        verify(ContractPoint.C12, ContractPoint.C11, ContractPoint.C11);
    }

    /** The coordinator's end of the seed: every branch still prepared is decided, in two messages. */
    private void finishEveryBranch() {
        List<Xid> commits = new ArrayList<>();
        List<Xid> rollbacks = new ArrayList<>();
        for (BankModel.Branch branch : model.branchesIn(BankModel.BranchState.PREPARED)) {
            (random.nextBoolean() ? commits : rollbacks).add(branch.xid);
        }
        model.branchesIn(BankModel.BranchState.ABORTED).forEach(branch -> rollbacks.add(branch.xid));
        if (!commits.isEmpty()) {
            finishMessage("commitMany", commits, model::commit, () -> bank.commitMany(List.copyOf(commits)));
        }
        if (!rollbacks.isEmpty()) {
            finishMessage("rollbackMany", rollbacks, model::rollback, () -> bank.rollbackMany(List.copyOf(rollbacks)));
        }
        if (!bank.recover().isEmpty()) {
            fail(ContractPoint.C13, "at the end of the seed recover() lists " + bank.recover(), null);
        }
        if (!bank.postedBalances().equals(model.postedBalances())) {
            fail(
                    ContractPoint.C18,
                    "at the end of the seed postedBalances() was " + bank.postedBalances() + ", expected "
                            + model.postedBalances(),
                    null);
        }
    }

    // What the bank must show.

    private void expectVote(BankModel.Expected expected, Vote vote, Xid xid) {
        if (!expected.votes().contains(vote)) {
            fail(
                    expected.votePoint(),
                    "the vote on " + xid + " was " + show(vote) + ", expected " + describe(expected.votes()),
                    null);
        }
    }

    private void verify(ContractPoint point) {
        verify(point, point, ContractPoint.C13);
    }

    private void verify(ContractPoint postedPoint, ContractPoint heldPoint, ContractPoint recoverPoint) {
        for (String account : model.accounts()) {
            AccountBalance actual = bank.account(account)
                    .orElseThrow(() -> failure(postedPoint, "the bank lost account " + account, null));
            if (actual.posted() < 0 || actual.held() < 0 || actual.held() > actual.posted()) {
                fail(ContractPoint.C14, "account " + account + " shows " + actual, null);
            }
            if (actual.posted() != model.posted(account)) {
                fail(
                        postedPoint,
                        "posted balance of " + account + " was " + actual.posted() + ", expected "
                                + model.posted(account),
                        null);
            }
            if (actual.held() != model.held(account)) {
                fail(
                        heldPoint,
                        "held amount of " + account + " was " + actual.held() + ", expected " + model.held(account),
                        null);
            }
        }
        Set<Xid> recovered = new HashSet<>(bank.recover());
        if (!recovered.equals(model.prepared())) {
            fail(
                    recoverPoint,
                    "recover() listed "
                            + new TreeSet<>(
                                    recovered.stream().map(Xid::toString).toList()) + ", expected "
                            + new TreeSet<>(
                                    model.prepared().stream().map(Xid::toString).toList()),
                    null);
        }
    }

    private static ContractPoint mostSpecific(List<ContractPoint> points) {
        Set<ContractPoint> present = points.isEmpty() ? EnumSet.noneOf(ContractPoint.class) : EnumSet.copyOf(points);
        return MOST_SPECIFIC_FIRST.stream()
                .filter(present::contains)
                .findFirst()
                .orElse(ContractPoint.C15);
    }

    // The calls, with the script and the failure message.

    private <T> T call(String description, ContractPoint point, Supplier<T> call) {
        script.add(description);
        T answer;
        try {
            answer = call.get();
        } catch (RuntimeException e) {
            throw failure(point, "the call threw " + e, e);
        }
        script.set(script.size() - 1, description + " -> " + showAnswer(answer));
        return answer;
    }

    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(STAGE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the bank", e);
        } catch (Exception e) {
            throw new IllegalStateException("the stage did not complete: " + e, e);
        }
    }

    private void fail(ContractPoint point, String detail, Throwable cause) {
        throw failure(point, detail, cause);
    }

    private AssertionError failure(ContractPoint point, String detail, Throwable cause) {
        StringBuilder message = new StringBuilder(detail);
        message.append("\n  found at step ")
                .append(script.size() - 1)
                .append(" of seed ")
                .append(seed);
        message.append(" (seed ")
                .append(seedIndex + 1)
                .append(" of ")
                .append(seeds.count())
                .append(" on this bank;");
        message.append(" replay with -D")
                .append(BankAdapterContract.SEED_PROPERTY)
                .append('=')
                .append(seeds.first());
        message.append(" -D")
                .append(BankAdapterContract.SEEDS_PROPERTY)
                .append('=')
                .append(seedIndex + 1);
        message.append(")\n  script of seed ").append(seed).append(':');
        for (int i = 0; i < script.size(); i++) {
            message.append(String.format("%n  %4d. %s", i, script.get(i)));
        }
        return point.broken(message.toString(), cause);
    }

    // Random choices.

    private Optional<BankModel.Branch> pick(BankModel.BranchState state) {
        List<BankModel.Branch> candidates = model.branchesIn(state);
        return candidates.isEmpty() ? Optional.empty() : Optional.of(candidates.get(random.nextInt(candidates.size())));
    }

    private List<BankModel.Branch> pickSome(BankModel.BranchState state, int count) {
        List<BankModel.Branch> candidates = new ArrayList<>(model.branchesIn(state));
        Collections.shuffle(candidates, random);
        return candidates.subList(0, Math.min(count, candidates.size()));
    }

    private Optional<BankModel.Branch> pickPreparedOrCommitted() {
        return random.nextBoolean()
                ? pick(BankModel.BranchState.PREPARED).or(() -> pick(BankModel.BranchState.COMMITTED))
                : pick(BankModel.BranchState.COMMITTED).or(() -> pick(BankModel.BranchState.PREPARED));
    }

    /** The postings of a prepare that arrives after its rollback: its own, or any when it had none. */
    private List<Posting> latePostings(BankModel.Branch branch) {
        List<Posting> postings = branch.postings.isEmpty() ? randomPostings() : branch.postings;
        return postings.isEmpty() ? List.of(new Posting(model.accounts().get(0), 1)) : postings;
    }

    /**
     * One branch's postings: a debit, a credit, a transfer or three postings, on distinct accounts, sometimes on an
     * account of no bank, with amounts around what the accounts can take so that some branches are refused.
     */
    private List<Posting> randomPostings() {
        int shape = random.nextInt(100);
        if (shape < 8) {
            return List.of();
        }
        int count = shape < 30 ? 1 : shape < 85 ? 2 : 3;
        List<String> accounts = new ArrayList<>(model.accounts());
        Collections.shuffle(accounts, random);
        if (random.nextInt(12) == 0) {
            accounts.set(0, UNKNOWN_ACCOUNT);
        }
        List<Posting> postings = new ArrayList<>();
        long debited = 0;
        for (int i = 0; i < count && i < accounts.size(); i++) {
            boolean debit = count == 1 ? random.nextBoolean() : i < count - 1;
            String account = accounts.get(i);
            long amount = debit ? debitAmount(account) : creditAmount(account, debited);
            debited += debit ? amount : 0;
            postings.add(new Posting(account, debit ? -amount : amount));
        }
        return List.copyOf(postings);
    }

    /** Postings the bank must refuse: too large a debit, an account of no bank, or a credit past the room left. */
    private List<Posting> refusedPostings() {
        List<String> accounts = model.accounts();
        String account = accounts.get(random.nextInt(accounts.size()));
        String fullest = accounts.stream()
                .min(Comparator.comparingLong(model::creditRoom))
                .orElseThrow();
        int kind = random.nextInt(3);
        if (kind == 0 && model.available(account) < Long.MAX_VALUE - 100) {
            return List.of(new Posting(account, -(model.available(account) + 1 + random.nextInt(50))));
        }
        if (kind == 1 && model.creditRoom(fullest) < Long.MAX_VALUE) {
            return List.of(new Posting(fullest, model.creditRoom(fullest) + 1));
        }
        long amount = 1 + random.nextInt(50);
        return List.of(new Posting(account, -amount), new Posting(UNKNOWN_ACCOUNT, amount));
    }

    private long debitAmount(String account) {
        long available = account.equals(UNKNOWN_ACCOUNT) ? 50 : model.available(account);
        return available < 1_000 ? 1 + random.nextLong(available + available / 4 + 10) : 1 + random.nextInt(300);
    }

    /** A credit that balances the debits when there are any, and otherwise near the room left for credits. */
    private long creditAmount(String account, long debited) {
        if (debited > 0) {
            return debited;
        }
        long room = account.equals(UNKNOWN_ACCOUNT) ? 100 : model.creditRoom(account);
        return room < 1_000 ? 1 + random.nextLong(room + room / 4 + 10) : 1 + random.nextInt(100);
    }

    private static String showBranches(List<BranchPrepare> branches) {
        List<String> shown = new ArrayList<>();
        branches.forEach(branch -> shown.add(branch.xid() + " " + show(branch.postings())));
        return shown.toString();
    }

    /** Postings as {@code [a-30, b+30]}. */
    private static String show(List<Posting> postings) {
        List<String> shown = new ArrayList<>();
        postings.forEach(posting -> shown.add(posting.account() + (posting.isDebit() ? "" : "+") + posting.amount()));
        return shown.toString();
    }

    /** A vote as {@code COMMIT}, {@code READ_ONLY} or {@code ABORT(TIMEOUT)}. */
    private static String show(Vote vote) {
        if (vote instanceof Vote.Abort abort) {
            return "ABORT(" + abort.reason() + ")";
        }
        return vote instanceof Vote.ReadOnly ? "READ_ONLY" : "COMMIT";
    }

    /** A call's answer for the script: votes as {@link #show(Vote)} shows them, anything else as it prints. */
    private static String showAnswer(Object answer) {
        if (answer instanceof Vote vote) {
            return show(vote);
        }
        if (answer instanceof List<?> list) {
            return list.stream().map(FaultInjectionRun::showAnswer).toList().toString();
        }
        return String.valueOf(answer);
    }

    private static String describe(Set<Vote> votes) {
        List<String> shown = votes.stream().map(FaultInjectionRun::show).toList();
        return shown.size() == 1 ? shown.get(0) : "one of " + shown;
    }

    static Map<String, Long> openingBalances() {
        return BankAdapterContract.balances("a", 200L, "b", 100L, "c", 0L, "full", Long.MAX_VALUE - 300);
    }
}
