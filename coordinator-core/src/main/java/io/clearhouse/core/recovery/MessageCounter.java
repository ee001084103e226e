package io.clearhouse.core.recovery;

/** Counts the messages recovery sends to banks and the branches each carries, retries included. */
@FunctionalInterface
public interface MessageCounter {
    void messageSent(int branches);
}
