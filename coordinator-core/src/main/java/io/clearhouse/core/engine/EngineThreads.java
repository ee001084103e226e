package io.clearhouse.core.engine;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes the engine's threads, marked so the engine can tell its own threads from callers'. A submission made from
 * a completion callback on an engine thread must never wait for room, or the threads that make room would stall;
 * and only the pool's threads, never the timer's, may make a blocking bank call inline.
 */
final class EngineThreads implements ThreadFactory {
    private final String prefix;
    private final boolean blockingCallsAllowed;
    private final AtomicInteger created = new AtomicInteger();

    EngineThreads(String prefix, boolean blockingCallsAllowed) {
        this.prefix = prefix;
        this.blockingCallsAllowed = blockingCallsAllowed;
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = new EngineThread(task, prefix + "-" + created.incrementAndGet(), blockingCallsAllowed);
        thread.setDaemon(true);
        return thread;
    }

    static boolean isEngineThread() {
        return Thread.currentThread() instanceof EngineThread;
    }

    /** Whether the current thread is one of the pool's, which exist to make blocking bank calls. */
    static boolean isPoolThread() {
        return Thread.currentThread() instanceof EngineThread engineThread && engineThread.blockingCallsAllowed;
    }

    private static final class EngineThread extends Thread {
        private final boolean blockingCallsAllowed;

        EngineThread(Runnable task, String name, boolean blockingCallsAllowed) {
            super(task, name);
            this.blockingCallsAllowed = blockingCallsAllowed;
        }
    }
}
