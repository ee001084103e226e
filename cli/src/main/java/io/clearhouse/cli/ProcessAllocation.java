package io.clearhouse.cli;

import java.lang.management.ManagementFactory;
import java.util.OptionalLong;

/**
 * The bytes the whole process has allocated on the heap since the JVM started, threads that ended included: what a
 * batch costs in garbage, read from HotSpot's running total rather than per live thread, since the engine's and the
 * banks' pool threads may have ended before the figures are printed.
 */
final class ProcessAllocation {
    private ProcessAllocation() {}

    /** Empty on a JVM that does not count allocation (not HotSpot's management bean, or counting switched off). */
    static OptionalLong totalBytes() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
                && threads.isThreadAllocatedMemorySupported()
                && threads.isThreadAllocatedMemoryEnabled()) {
            long total = threads.getTotalThreadAllocatedBytes();
            return total < 0 ? OptionalLong.empty() : OptionalLong.of(total);
        }
        return OptionalLong.empty();
    }
}
