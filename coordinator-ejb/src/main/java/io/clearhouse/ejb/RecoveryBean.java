package io.clearhouse.ejb;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import java.util.concurrent.TimeUnit;

/**
 * Starts the coordinator when the application starts, which runs recovery over every bank's prepared branches
 * before the API accepts a transfer, then runs recovery again at a fixed interval for branches left in doubt while
 * running. The start happens on a timer rather than during deployment, so the readiness check can report DOWN
 * while recovery runs; a start that fails (the database not up yet, a bank down) is tried again.
 *
 * <p>The container runs one timeout at a time on this singleton, so recovery passes never overlap.
 */
@Singleton
@Startup
public class RecoveryBean {
    static final long START_RETRY_MILLIS = 2_000;

    @EJB
    private CoordinatorBean coordinator;

    @Resource
    private TimerService timers;

    private long intervalMillis;

    @PostConstruct
    void scheduleStart() {
        intervalMillis = TimeUnit.SECONDS.toMillis(coordinator.settings().recoveryIntervalSeconds());
        timers.createSingleActionTimer(0, transientTimer());
    }

    @Timeout
    void run() {
        if (coordinator.isReady()) {
            coordinator.recoverInDoubt();
        } else if (coordinator.start()) {
            timers.createIntervalTimer(intervalMillis, intervalMillis, transientTimer());
        } else {
            timers.createSingleActionTimer(START_RETRY_MILLIS, transientTimer());
        }
    }

    private static TimerConfig transientTimer() {
        return new TimerConfig(null, false);
    }
}
