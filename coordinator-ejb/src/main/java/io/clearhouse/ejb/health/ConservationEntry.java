package io.clearhouse.ejb.health;

import io.clearhouse.ejb.audit.ConservationReport;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The readiness check's {@code conservation} entry. Only a proven difference turns readiness DOWN: a bank that
 * cannot be read, or a read that transfers overlapped, says {@code unknown} and leaves readiness as it is, since
 * taking a server out of service because a bank server is down would only add an outage.
 */
final class ConservationEntry {
    private ConservationEntry() {}

    /** The data the entry adds to the check: {@code conservation}, and {@code conservation_difference} if violated. */
    static Map<String, Object> data(ConservationReport report) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put(
                "conservation",
                report.conserved()
                        .map(conserved -> conserved ? "conserved" : "violated")
                        .orElse("unknown"));
        if (report.violated()) {
            data.put(
                    "conservation_difference",
                    ConservationReport.clamped(report.difference().get()));
        }
        return data;
    }

    /** Whether the entry turns readiness DOWN. */
    static boolean down(ConservationReport report) {
        return report.violated();
    }
}
