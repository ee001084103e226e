package io.clearhouse.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The framed records waiting for one write, with the futures of those that wait for a force. Two instances take
 * turns: appenders fill one while the flusher writes the other, so the buffers are reused rather than reallocated.
 */
final class PendingGroup {
    private ByteBuffer bytes = ByteBuffer.allocate(64 * 1024);
    private final List<CompletableFuture<Void>> durableWaiters = new ArrayList<>();
    private int records;
    private boolean forceRequested;

    int records() {
        return records;
    }

    int bytes() {
        return bytes.position();
    }

    boolean forceRequested() {
        return forceRequested;
    }

    boolean isEmpty() {
        return records == 0;
    }

    void add(byte[] payload, int checksum) {
        ensureRoom(Framing.RECORD_HEADER_BYTES + payload.length);
        bytes.putInt(payload.length).putInt(checksum).put(payload);
        records++;
    }

    void addDurable(byte[] payload, int checksum, CompletableFuture<Void> waiter) {
        add(payload, checksum);
        durableWaiters.add(waiter);
        forceRequested = true;
    }

    /**
     * Adds a waiter with no record: it completes once this group is written and forced, which covers every record
     * written before it too, since a force covers the whole file.
     */
    void addBarrier(CompletableFuture<Void> waiter) {
        durableWaiters.add(waiter);
        forceRequested = true;
    }

    private void ensureRoom(int needed) {
        if (bytes.remaining() < needed) {
            int capacity = Math.max(bytes.capacity() * 2, bytes.position() + needed);
            bytes = ByteBuffer.allocate(capacity).put(bytes.flip());
        }
    }

    /** Writes the group at {@code position} and returns the number of bytes written. */
    int writeTo(FileChannel channel, long position) throws IOException {
        ByteBuffer toWrite = bytes.flip();
        int length = toWrite.remaining();
        long at = position;
        while (toWrite.hasRemaining()) {
            at += channel.write(toWrite, at);
        }
        return length;
    }

    void completeWaiters() {
        for (CompletableFuture<Void> waiter : durableWaiters) {
            waiter.complete(null);
        }
    }

    void failWaiters(Throwable failure) {
        for (CompletableFuture<Void> waiter : durableWaiters) {
            waiter.completeExceptionally(failure);
        }
    }

    void clear() {
        bytes.clear();
        durableWaiters.clear();
        records = 0;
        forceRequested = false;
    }
}
