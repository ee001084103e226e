package io.clearhouse.ejb.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Live while the application answers. A coordinator waiting for its database is alive, only not ready: restarting
 * it would not help, so readiness, not liveness, carries that.
 */
@Liveness
@ApplicationScoped
public class CoordinatorLiveness implements HealthCheck {
    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.up("clearhouse-application");
    }
}
