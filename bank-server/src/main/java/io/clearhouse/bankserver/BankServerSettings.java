package io.clearhouse.bankserver;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a bank server runs and what it accepts. Every limit is checked against a whole request before any of it is
 * applied (docs/bank-protocol.md lists them with their reason codes).
 *
 * @param host the address to listen on
 * @param port the port; 0 picks a free one, which the ready line then names
 * @param dataDirectory where the banks' shared write-ahead log lives
 * @param fsync whether prepare records are forced to disk before a COMMIT vote
 * @param threads the threads that serve requests; a request waits on the log's group commit on one of them
 * @param requestBytesMax the largest request body
 * @param messagesMax the most messages in one request
 * @param branchesMax the most branches in one request, over all its messages (an xid of a commit or rollback counts as
 *     one)
 * @param postingsMax the most postings in one branch
 * @param idLengthMax the longest bank, transaction or account id, in characters
 */
public record BankServerSettings(
        String host,
        int port,
        Path dataDirectory,
        boolean fsync,
        int threads,
        int requestBytesMax,
        int messagesMax,
        int branchesMax,
        int postingsMax,
        int idLengthMax) {
    public static final int THREADS_DEFAULT = 16;
    public static final int REQUEST_BYTES_MAX_DEFAULT = 4 << 20;
    public static final int MESSAGES_MAX_DEFAULT = 4_096;
    public static final int BRANCHES_MAX_DEFAULT = 16_384;
    public static final int POSTINGS_MAX_DEFAULT = 64;
    public static final int ID_LENGTH_MAX_DEFAULT = 256;

    public BankServerSettings {
        requirePositive("threads", threads);
        requirePositive("request-bytes-max", requestBytesMax);
        requirePositive("messages-max", messagesMax);
        requirePositive("branches-max", branchesMax);
        requirePositive("postings-max", postingsMax);
        requirePositive("id-length-max", idLengthMax);
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--port must be in 0..65535: " + port);
        }
    }

    private static void requirePositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("--" + name + " must be at least 1: " + value);
        }
    }

    /** The values in effect, by option name, for the line the server logs at start. */
    Map<String, Object> inEffect() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("host", host);
        values.put("port", port);
        values.put("data-dir", dataDirectory);
        values.put("fsync", fsync);
        values.put("threads", threads);
        values.put("request-bytes-max", requestBytesMax);
        values.put("messages-max", messagesMax);
        values.put("branches-max", branchesMax);
        values.put("postings-max", postingsMax);
        values.put("id-length-max", idLengthMax);
        return values;
    }
}
