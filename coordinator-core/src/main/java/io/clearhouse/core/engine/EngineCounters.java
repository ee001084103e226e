package io.clearhouse.core.engine;

import java.util.concurrent.atomic.LongAdder;

/** The engine's own tallies; forced writes are read from the log and banks when asked. */
final class EngineCounters {
    final LongAdder committed = new LongAdder();
    final LongAdder aborted = new LongAdder();
    final LongAdder messages = new LongAdder();
    final LongAdder branches = new LongAdder();
    final LongAdder abandonedBranches = new LongAdder();

    /** One message sent to a bank, carrying {@code branchCount} branches. */
    void messageSent(int branchCount) {
        messages.increment();
        branches.add(branchCount);
    }
}
