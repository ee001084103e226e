package io.clearhouse.ejb;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Audits conservation every {@code clearhouse.audit.conservation-interval-millis} (none at 0), so that the metric
 * and the readiness check follow the banks without a client asking. A timer of its own, not the recovery bean's: an
 * audit waits for slow banks up to the reply timeout, and recovery should not wait behind it. The container runs one
 * timeout at a time on this singleton, so audits never overlap.
 */
@Singleton
@Startup
public class ConservationBean {
    private static final Logger LOG = Logger.getLogger(ConservationBean.class.getName());

    @EJB
    private CoordinatorBean coordinator;

    @Resource
    private TimerService timers;

    @PostConstruct
    void schedule() {
        long intervalMillis = coordinator.settings().conservationIntervalMillis();
        if (intervalMillis > 0) {
            timers.createIntervalTimer(intervalMillis, intervalMillis, new TimerConfig(null, false));
        }
    }

    @Timeout
    void run() {
        try {
            coordinator.checkConservationIfRunning();
        } catch (RuntimeException e) {
            // A node that lost its leadership between the check and the audit, or a coordinator closing: the next
            // tick tries again, and a timer whose timeout throws would be retried at once by the container.
            LOG.log(Level.FINE, "conservation audit skipped", e);
        }
    }
}
