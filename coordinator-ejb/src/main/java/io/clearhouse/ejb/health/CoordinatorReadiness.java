package io.clearhouse.ejb.health;

import io.clearhouse.ejb.CoordinatorBean;
import io.clearhouse.ejb.audit.ConservationReport;
import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the coordinator has started and its start-up recovery has finished; until then the reason why not.
 * DOWN also when the last conservation audit proved that money was created or lost.
 */
@Readiness
@ApplicationScoped
public class CoordinatorReadiness implements HealthCheck {
    @EJB
    CoordinatorBean coordinator;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("clearhouse-coordinator");
        try {
            response.status(coordinator.isReady());
            coordinator.startFailure().ifPresent(failure -> response.withData("waiting", failure));
            coordinator.lastConservation().ifPresent(report -> addConservation(report, response));
        } catch (EJBException stillDeploying) {
            // Asked while the container is still creating the bean: not ready, and nothing is wrong.
            response.down().withData("waiting", "the application is deploying");
        }
        return response.build();
    }

    private static void addConservation(ConservationReport report, HealthCheckResponseBuilder response) {
        ConservationEntry.data(report).forEach((key, value) -> {
            if (value instanceof Long number) {
                response.withData(key, number);
            } else {
                response.withData(key, value.toString());
            }
        });
        if (ConservationEntry.down(report)) {
            response.down();
        }
    }
}
