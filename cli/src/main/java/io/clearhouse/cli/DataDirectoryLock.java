package io.clearhouse.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Keeps a second {@code serve} or {@code cluster} off a data directory while one runs on it: both would start
 * servers over the same files. The lock is the operating system's, so it goes with the process however it ends.
 */
final class DataDirectoryLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of the data directory {@code root} in {@code lockFile}.
     *
     * @param command the command that takes it, named in the refusal
     * @throws InputFileException if another process holds it
     */
    static DataDirectoryLock take(Path lockFile, Path root, String command) throws IOException, InputFileException {
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new InputFileException(
                        "data directory", root, "is in use by another 'clearhouse " + command + "'");
            }
            return new DataDirectoryLock(channel, lock);
        } catch (IOException | InputFileException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
