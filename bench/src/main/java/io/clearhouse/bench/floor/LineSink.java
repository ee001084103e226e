package io.clearhouse.bench.floor;

import java.io.IOException;

/** Where the lines of the transactions file go, in file order, once the file's own rules have judged them. */
interface LineSink {
    /** A line the file's rules refuse; {@code transactionId} is the trimmed first field, empty when there is none. */
    void refused(int lineNumber, String transactionId, Outcome reason) throws IOException;

    /** A line that passed the file's rules, for the balances to judge. */
    void transfer(int lineNumber, String transactionId, String from, String to, long amount) throws IOException;
}
