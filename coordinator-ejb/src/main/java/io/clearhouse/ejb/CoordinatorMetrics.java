package io.clearhouse.ejb;

import io.clearhouse.api.Outcome;
import io.clearhouse.api.Reason;
import io.clearhouse.api.Status;
import io.clearhouse.core.CoordinatorCounters;
import io.clearhouse.core.engine.EmbeddedCoordinator;
import io.clearhouse.ejb.audit.ConservationReport;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
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
 * transaction and branches in doubt.
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

    void registerAtStart(@Observes @Initialized(ApplicationScoped.class) Object started) {
        committed = registry.counter("clearhouse.transactions.committed");
        for (Reason reason : Reason.values()) {
            abortedByReason.put(
                    reason, registry.counter("clearhouse.transactions.aborted", new Tag("reason", reason.name())));
        }
        latency = registry.timer("clearhouse.transactions.latency");
        engineGauge("clearhouse.engine.transactions", CoordinatorCounters::transactions);
        engineGauge("clearhouse.engine.messages", CoordinatorCounters::messages);
        engineGauge("clearhouse.engine.branches", CoordinatorCounters::branches);
        engineGauge("clearhouse.engine.forced.writes", CoordinatorCounters::forcedWrites);
        engineGauge(
                "clearhouse.engine.messages.per.transaction",
                counters -> perTransaction(counters.messages(), counters));
        engineGauge(
                "clearhouse.engine.branches.per.message",
                counters -> counters.messages() == 0 ? 0 : (double) counters.branches() / counters.messages());
        engineGauge(
                "clearhouse.engine.forced.writes.per.transaction",
                counters -> perTransaction(counters.forcedWrites(), counters));
        registry.gauge("clearhouse.branches.in.doubt", this, metrics -> metrics.inDoubtBranches());
        registry.gauge(
                Metadata.builder()
                        .withName("clearhouse.conservation.difference")
                        .withDescription("Posted balances of every bank minus the total they opened with, at the"
                                + " last conservation audit that could tell (0 when money is conserved)")
                        .build(),
                this,
                metrics -> metrics.conservationDifference());
    }

    private void engineGauge(String name, ToDoubleFunction<CoordinatorCounters> figure) {
        registry.gauge(name, this, metrics -> metrics.coordinator
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
        if (status == Status.COMMITTED) {
            committed.inc();
        } else {
            abortedByReason.get(reason).inc();
        }
    }
}
