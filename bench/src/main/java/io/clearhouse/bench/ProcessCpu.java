package io.clearhouse.bench;

import java.time.Duration;

/**
 * The CPU time this process and every process it started (bank servers, Raft peers) have used so far, so that a
 * figure per transfer counts all the work a configuration needs, wherever it runs. The kernel counts in clock ticks
 * (10 ms here), which a measured window of seconds makes small; a process that ends inside the window takes its
 * time with it, and none does in a benchmark run.
 */
final class ProcessCpu {
    private ProcessCpu() {}

    /** CPU time in nanoseconds, user and system, of this process and its living descendants. */
    static long nanos() {
        ProcessHandle self = ProcessHandle.current();
        return cpuNanos(self)
                + self.descendants().mapToLong(ProcessCpu::cpuNanos).sum();
    }

    private static long cpuNanos(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }
}
