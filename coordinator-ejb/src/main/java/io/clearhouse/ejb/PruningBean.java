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
 * Prunes the decision log every {@code clearhouse.decision-log.prune-interval-millis} (never when the retention is
 * 0), so that its size, its id filter's memory and the start-up time follow the retention instead of the whole
 * history. A timer of its own: a pruning deletes page by page while transfers go on, and neither recovery nor the
 * conservation audit should wait behind it. The container runs one timeout at a time, so prunings never overlap.
 */
@Singleton
@Startup
public class PruningBean {
    private static final Logger LOG = Logger.getLogger(PruningBean.class.getName());

    @EJB
    private CoordinatorBean coordinator;

    @Resource
    private TimerService timers;

    @PostConstruct
    void schedule() {
        if (coordinator.settings().logRetention().prunes()) {
            long intervalMillis = coordinator.settings().logRetention().pruneIntervalMillis();
            timers.createIntervalTimer(intervalMillis, intervalMillis, new TimerConfig(null, false));
        }
    }

    @Timeout
    void run() {
        try {
            coordinator.pruneIfRunning();
        } catch (RuntimeException e) {
            // The database away for a moment: the next tick tries again; a timeout that throws would be retried at
            // once by the container.
            LOG.log(Level.WARNING, "pruning the decision log failed; it is tried again at the next interval", e);
        }
    }
}
