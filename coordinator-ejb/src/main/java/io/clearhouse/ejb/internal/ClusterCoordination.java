package io.clearhouse.ejb.internal;

import io.clearhouse.ejb.ClusterNodeView;
import io.clearhouse.ejb.CoordinatorUnavailableException;
import io.clearhouse.ejb.NotLeaderException;
import io.clearhouse.ejb.config.RaftSettings;
import io.clearhouse.log.raft.RaftDecisionLog;
import io.clearhouse.log.raft.RaftDecisionNode;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The coordinator of one node of a cluster, which runs only while this node's Raft peer leads: a coordinator is
 * opened for one term once the peer leads and is ready in it (every entry earlier leaders committed is applied), and
 * retired as soon as the peer leads no more in that term. Opening the decision log for the term is itself an entry
 * and starts a new incarnation, and opening the engine runs recovery over what the log holds, so every transaction a
 * former leader left is finished or rolled back before this one takes work.
 *
 * <p>Leadership is read on Ratis' events and every {@link #CHECK_INTERVAL_MILLIS} besides, on one thread, so an
 * opening and a retirement never overlap; a retired coordinator is closed on another thread, since its writes may
 * wait for a majority it will never reach. A request is served only by a coordinator whose term is the peer's
 * current term while the peer leads; the log refuses any write of a coordinator whose term is over, so a request
 * that slips past this check when leadership changes decides nothing.
 */
public final class ClusterCoordination implements AutoCloseable {
    static final long CHECK_INTERVAL_MILLIS = 100;
    /** A bank or the log that failed an opening is given this long before the next try, as a plain server's start. */
    static final long OPEN_RETRY_MILLIS = 1_000;

    private static final Logger LOG = Logger.getLogger(ClusterCoordination.class.getName());
    /**
     * Ratis reports through java.util.logging in the server, so into server.log. Its warnings stay; its routine lines
     * (each setting it reads, each segment it rolls, each vote) are left out unless the operator chose a level, here
     * or in the server's logging properties: a new leader would write dozens of them on the path of a fail-over.
     * Held here, since java.util.logging keeps a logger's level only while someone references the logger.
     */
    private static final Logger RATIS_LOG = Logger.getLogger("org.apache.ratis");

    private final RaftSettings settings;
    private final TermOpener openForTerm;
    private final ScheduledExecutorService checker;
    private final ExecutorService retirement;
    private final AtomicBoolean checkQueued = new AtomicBoolean();
    private volatile RaftDecisionNode node;
    private volatile Current current;
    private volatile String openFailure;
    private long nextOpenNanos = System.nanoTime();

    /**
     * A coordinator opened for a term, and the log it writes.
     *
     * @param coordinator the engine and its banks, closed when retired
     * @param log the decision log opened for the term, which the coordinator closes
     */
    public record Opened(RunningCoordinator coordinator, RaftDecisionLog log) {}

    /** Opens banks, the decision log for a term of {@code node}'s leadership, and the engine (recovery included). */
    @FunctionalInterface
    public interface TermOpener {
        Opened open(RaftDecisionNode node, long term);
    }

    private record Current(long term, Opened opened) {
        RunningCoordinator coordinator() {
            return opened.coordinator();
        }
    }

    private ClusterCoordination(RaftSettings settings, TermOpener openForTerm, ThreadFactory threads) {
        this.settings = settings;
        this.openForTerm = openForTerm;
        this.checker = Executors.newSingleThreadScheduledExecutor(threads);
        this.retirement = Executors.newSingleThreadExecutor(threads);
    }

    /**
     * Starts this node's Raft peer and follows its leadership.
     *
     * @param openForTerm opens the coordinator of a term in which the node it is given leads
     */
    public static ClusterCoordination start(RaftSettings settings, TermOpener openForTerm, ThreadFactory threads) {
        settings.ratisLogLevel().ifPresentOrElse(RATIS_LOG::setLevel, () -> {
            if (RATIS_LOG.getLevel() == null) {
                RATIS_LOG.setLevel(Level.WARNING);
            }
        });
        ClusterCoordination coordination = new ClusterCoordination(settings, openForTerm, threads);
        try {
            coordination.node =
                    RaftDecisionNode.start(settings.placement(), settings.options(), coordination::checkSoon);
        } catch (RuntimeException e) {
            coordination.stopThreads();
            throw e;
        }
        coordination.checker.scheduleWithFixedDelay(
                coordination::check, 0, CHECK_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        return coordination;
    }

    private void checkSoon() {
        if (checkQueued.compareAndSet(false, true)) {
            checker.execute(() -> {
                checkQueued.set(false);
                check();
            });
        }
    }

    private void check() {
        try {
            RaftDecisionNode.Leadership now = node.leadership();
            Current running = current;
            if (running != null && !(now.leaderReady() && now.term() == running.term())) {
                current = null;
                retireLater(running, "no longer leads (" + now + ")");
                running = null;
            } else if (running != null && running.opened().log().hasFailed()) {
                // Its lookups fail from now on; a coordinator over a log opened anew learns what the group holds.
                current = null;
                retireLater(running, "leads, but a write to its decision log failed; it opens the log anew");
                running = null;
            }
            if (running == null && now.leaderReady() && System.nanoTime() - nextOpenNanos >= 0) {
                open(now.term());
            }
        } catch (RuntimeException e) {
            // The periodic check must go on whatever one round met.
            LOG.log(Level.WARNING, "checking the leadership of node " + settings.nodeId() + " failed", e);
        }
    }

    private void open(long term) {
        LOG.info(() -> "node " + settings.nodeId() + " leads in term " + term + "; opening its coordinator");
        try {
            current = new Current(term, openForTerm.open(node, term));
            openFailure = null;
            LOG.info(() -> "node " + settings.nodeId() + " coordinates in term " + term);
        } catch (RuntimeException e) {
            nextOpenNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(OPEN_RETRY_MILLIS);
            openFailure = "opening the coordinator for term " + term + " failed: " + e;
            LOG.log(Level.WARNING, openFailure + "; trying again while this node leads", e);
        }
    }

    private void retireLater(Current retired, String why) {
        LOG.info(() -> "node " + settings.nodeId() + " retires its coordinator of term " + retired.term() + ": " + why);
        retirement.execute(() -> retire(retired));
    }

    private static void retire(Current retired) {
        try {
            retired.coordinator().close();
        } catch (RuntimeException e) {
            // Its decisions after the new leader's opening were refused; recovery there resolves their branches.
            LOG.log(Level.INFO, "the coordinator of term " + retired.term() + " closed with an error", e);
        }
    }

    /**
     * The coordinator, if this node leads and coordinates now.
     *
     * @throws NotLeaderException if another node leads, or none is known
     * @throws CoordinatorUnavailableException if this node leads and its coordinator is not open yet
     */
    public RunningCoordinator coordinator() {
        RaftDecisionNode.Leadership now = node.leadership();
        Optional<RunningCoordinator> serving = serving(now);
        if (serving.isPresent()) {
            return serving.get();
        }
        if (now.role() == RaftDecisionNode.Role.LEADER) {
            String failure = openFailure;
            throw new CoordinatorUnavailableException("node " + settings.nodeId() + " leads in term " + now.term()
                    + " and is finishing what earlier leaders left" + (failure == null ? "" : "; " + failure));
        }
        Optional<URI> leader = leaderUrl(now);
        throw new NotLeaderException(
                leader.map(url -> "node " + settings.nodeId() + " does not lead; the leader is " + url)
                        .orElse("no leader is known to node " + settings.nodeId() + " now; try again shortly"),
                leader);
    }

    /** The coordinator if this node coordinates now, for work that only the leader does (recovery passes). */
    public Optional<RunningCoordinator> coordinatorIfLeading() {
        return serving(node.leadership());
    }

    /**
     * The decision log of the coordinator, if this node leads and coordinates now, for work on the log that only the
     * leader does (pruning).
     */
    public Optional<RaftDecisionLog> logIfLeading() {
        return servingNow(node.leadership()).map(running -> running.opened().log());
    }

    /** The coordinator opened for the term in which this node, as {@code now} says, leads. */
    private Optional<RunningCoordinator> serving(RaftDecisionNode.Leadership now) {
        return servingNow(now).map(Current::coordinator);
    }

    private Optional<Current> servingNow(RaftDecisionNode.Leadership now) {
        Current running = current;
        return running != null && now.role() == RaftDecisionNode.Role.LEADER && now.term() == running.term()
                ? Optional.of(running)
                : Optional.empty();
    }

    /** What this node says of itself. */
    public ClusterNodeView self() {
        RaftDecisionNode.Leadership now = node.leadership();
        String role = now.role() == RaftDecisionNode.Role.OTHER
                ? "FOLLOWER"
                : now.role().name();
        return new ClusterNodeView(
                settings.nodeId(),
                settings.apiUrlOf(settings.nodeId()).orElseThrow(),
                role,
                now.term(),
                leaderUrl(now),
                ProcessHandle.current().pid(),
                serving(now).isPresent());
    }

    private Optional<URI> leaderUrl(RaftDecisionNode.Leadership now) {
        return now.leaderId().flatMap(settings::apiUrlOf);
    }

    /** Stops following leadership, closes the coordinator, then the Raft peer. */
    @Override
    public void close() {
        checker.shutdownNow();
        awaitTermination(checker);
        Current running = current;
        current = null;
        if (running != null) {
            retirement.execute(() -> retire(running));
        }
        retirement.shutdown();
        awaitTermination(retirement);
        node.close();
    }

    private void stopThreads() {
        checker.shutdownNow();
        retirement.shutdownNow();
    }

    private static void awaitTermination(ExecutorService executor) {
        try {
            if (!executor.awaitTermination(1, TimeUnit.MINUTES)) {
                LOG.warning("a cluster coordination thread did not stop within a minute");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
