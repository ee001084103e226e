package io.clearhouse.ejb;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Reason;
import io.clearhouse.api.Status;
import io.clearhouse.core.CoordinatorCounters;
import io.clearhouse.core.engine.EmbeddedCoordinator;
import io.clearhouse.ejb.audit.ConservationReport;
import io.clearhouse.ejb.console.Throughput;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

/**
 * The coordinator's figures under {@code /metrics}: outcomes of the API's transactions by status and reason, their
 * latency, and, from the engine, the messages sent to banks and the branches they carried (in all, per transaction,
 * and branches per message, which says how well the engine gathers branches for a bank), forced writes per
 * transaction and branches in doubt. It also keeps the last minute's outcomes per second for the console, whose
 * throughput MicroProfile's counters, totals since start, cannot give.
 */
@ApplicationScoped
public class CoordinatorMetrics {
    @Inject
    MetricRegistry registry;

    @EJB
    CoordinatorBean coordinator;

    private Counter committed;
    private final Map<Reason, Counter> abortedByReason = new EnumMap<>(Reason.class);
    private Timer latency;
    private final Throughput throughput = new Throughput();

    void registerAtStart(@Observes @Initialized(ApplicationScoped.class) Object started) {
        committed = registry.counter(
                described("clearhouse.transactions.committed", "Transactions committed through the API and batches"));
        Metadata aborted = described(
                "clearhouse.transactions.aborted", "Transactions aborted through the API and batches, by reason code");
        for (Reason reason : Reason.values()) {
            abortedByReason.put(reason, registry.counter(aborted, new Tag("reason", reason.name())));
        }
        latency = registry.timer(
                described("clearhouse.transactions.latency", "Request-to-outcome latency of the API's transactions"));
        engineGauge(
                "clearhouse.engine.transactions",
                "Transactions decided by the engine since start (API and batches)",
                CoordinatorCounters::transactions);
        engineGauge(
                "clearhouse.engine.messages",
                "Messages sent to banks since start (prepare, commit, rollback, recovery's included)",
                CoordinatorCounters::messages);
        engineGauge(
                "clearhouse.engine.branches",
                "Branches the messages to banks carried since start",
                CoordinatorCounters::branches);
        engineGauge(
                "clearhouse.engine.forced.writes",
                "Forced writes of the decision log and of the banks' logs since start",
                CoordinatorCounters::forcedWrites);
        engineGauge(
                "clearhouse.engine.messages.per.transaction",
                "Messages to banks per decided transaction since start",
                counters -> perTransaction(counters.messages(), counters));
        engineGauge(
                "clearhouse.engine.branches.per.message",
                "Branches per message to a bank since start: how well the engine gathers branches for a bank",
                counters -> counters.messages() == 0 ? 0 : (double) counters.branches() / counters.messages());
        engineGauge(
                "clearhouse.engine.forced.writes.per.transaction",
                "Forced writes per decided transaction since start",
                counters -> perTransaction(counters.forcedWrites(), counters));
        registry.gauge(
                described(
                        "clearhouse.branches.in.doubt",
                        "Branches whose phase two gave up after the retry limit, waiting for recovery"),
                this,
                metrics -> metrics.inDoubtBranches());
        registry.gauge(
                described(
                        "clearhouse.conservation.difference",
                        "Posted balances of every bank minus the total they opened with, at the last conservation"
                                + " audit that could tell (0 when money is conserved)"),
                this,
                metrics -> metrics.conservationDifference());
    }

    /** Every metric has a HELP text: what it counts, for whoever reads /metrics without the docs. */
    private static Metadata described(String name, String description) {
        return Metadata.builder().withName(name).withDescription(description).build();
    }

    private void engineGauge(String name, String description, ToDoubleFunction<CoordinatorCounters> figure) {
        registry.gauge(described(name, description), this, metrics -> metrics.coordinator
                .engine()
                .map(engine -> figure.applyAsDouble(engine.counters()))
                .orElse(0.0));
    }

    /** The difference of the last audit that could tell; the readiness check reports a non-zero one. */
    private long conservationDifference() {
        return coordinator
                .lastConservation()
                .filter(report -> report.conserved().isPresent())
                .map(report -> ConservationReport.clamped(report.difference().get()))
                .orElse(0L);
    }

    private long inDoubtBranches() {
        return coordinator.engine().map(EmbeddedCoordinator::inDoubtBranches).orElse(0L);
    }

    private static double perTransaction(long count, CoordinatorCounters counters) {
        long transactions = counters.committed() + counters.aborted();
        return transactions == 0 ? 0 : (double) count / transactions;
    }

    void recordOutcome(Outcome outcome, long latencyNanos) {
        recordOutcome(outcome.status(), outcome.reason());
        latency.update(Duration.ofNanos(latencyNanos));
    }

    void recordOutcome(Status status, Reason reason) {
        throughput.record(status, System.currentTimeMillis() / 1000);
        if (status == Status.COMMITTED) {
            committed.inc();
        } else {
            abortedByReason.get(reason).inc();
        }
    }

    /** The outcomes of the minute that ends at {@code now}. */
    Throughput.Rates throughput(Instant now) {
        return throughput.over(now.getEpochSecond());
    }

    long committedSinceStart() {
        return committed.getCount();
    }

    Map<Reason, Long> abortedSinceStart() {
        Map<Reason, Long> counts = new EnumMap<>(Reason.class);
        abortedByReason.forEach((reason, counter) -> counts.put(reason, counter.getCount()));
        return counts;
    }
}
