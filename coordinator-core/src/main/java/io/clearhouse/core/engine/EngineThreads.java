package io.clearhouse.core.engine;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes the engine's threads, marked so the engine can tell its own threads from callers'. A submission made from
 * a completion callback on an engine thread must never wait for room, or the threads that make room would stall;
 * and only the pool's threads, never the timer's, may make a blocking bank call inline. The threads themselves come
 * from a base factory: plain daemon threads, or a container's managed threads; the mark is a thread-local set by the
 * task, so it works whatever class the base factory's threads are.
 */
final class EngineThreads implements ThreadFactory {
    private enum Kind {
        POOL,
        TIMER
    }

    private static final ThreadLocal<Kind> KIND = new ThreadLocal<>();

    private final String prefix;
    private final Kind kind;
    private final ThreadFactory base;
    private final AtomicInteger created = new AtomicInteger();

    EngineThreads(String prefix, boolean blockingCallsAllowed, ThreadFactory base) {
        this.prefix = prefix;
        this.kind = blockingCallsAllowed ? Kind.POOL : Kind.TIMER;
        this.base = base;
    }

    /** Daemon threads of the JVM's own, for an engine that runs outside a container. */
    static ThreadFactory daemonThreads() {
        return task -> {
            Thread thread = new Thread(task);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = base.newThread(() -> {
            KIND.set(kind);
            task.run();
        });
        thread.setName(prefix + "-" + created.incrementAndGet());
        return thread;
    }

    static boolean isEngineThread() {
        return KIND.get() != null;
    }

    /** Whether the current thread is one of the pool's, which exist to make blocking bank calls. */
    static boolean isPoolThread() {
        return KIND.get() == Kind.POOL;
    }
}
