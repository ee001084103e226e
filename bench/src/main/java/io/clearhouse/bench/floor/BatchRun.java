package io.clearhouse.bench.floor;

import java.io.IOException;

/** Applies each transfer to the ledger as it comes and writes every line's result at once, counting as it goes. */
final class BatchRun implements LineSink {
    private final Ledger ledger;
    private final ResultDocument document;
    private long lines;
    private long transfers;
    private long committed;

    BatchRun(Ledger ledger, ResultDocument document) {
        this.ledger = ledger;
        this.document = document;
    }

    @Override
    public void refused(int lineNumber, String transactionId, Outcome reason) throws IOException {
        lines++;
        document.result(lineNumber, transactionId, reason);
    }

    @Override
    public void transfer(int lineNumber, String transactionId, String from, String to, long amount) throws IOException {
        lines++;
        transfers++;
        Outcome outcome = ledger.transfer(from, to, amount);
        if (outcome == Outcome.COMMITTED) {
            committed++;
        }
        document.result(lineNumber, transactionId, outcome);
    }

    void finish() throws IOException {
        document.finish(ledger);
    }

    /** Every result line. */
    long lines() {
        return lines;
    }

    /** The lines that passed the file's rules, as the command counts the lines that reach its engine. */
    long transfers() {
        return transfers;
    }

    long committed() {
        return committed;
    }
}
