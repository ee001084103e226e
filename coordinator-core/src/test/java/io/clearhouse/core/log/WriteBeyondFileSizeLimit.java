package io.clearhouse.core.log;

import io.clearhouse.api.Posting;
import io.clearhouse.journal.JournalOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Run by {@link FileDecisionLogWriteFailureIT} in a JVM whose file size limit ({@code ulimit -f}) the decision logs
 * outgrow: the write that crosses it fails with "File too large" after writing what fits, the way a full disk fails
 * a write. Each log takes a burst of commit decisions appended without waiting, so that they share groups; then
 * every decision is reported on standard output: {@code GLOBAL_ID acknowledged}, or {@code GLOBAL_ID failed} with
 * what the log answered when asked for it afterwards ({@code threw}, {@code present} or {@code absent}).
 */
final class WriteBeyondFileSizeLimit {
    static final int DECISIONS_PER_LOG = 64;

    private WriteBeyondFileSizeLimit() {}

    public static void main(String[] args) {
        Path directory = Path.of(args[0]);
        int logs = Integer.parseInt(args[1]);
        for (int number = 0; number < logs; number++) {
            burst(directory.resolve(FileDecisionLogWriteFailureIT.logName(number)), "g" + number + ".");
        }
    }

    private static void burst(Path file, String idPrefix) {
        DecisionLog log = FileDecisionLog.open(file, JournalOptions.defaults());
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 0; i < DECISIONS_PER_LOG; i++) {
            try {
                writes.add(log.appendDurably(decision(idPrefix + i)));
            } catch (DecisionLogException refused) {
                // The journal failed on an earlier write of the burst and takes nothing more.
                writes.add(CompletableFuture.failedFuture(refused));
            }
        }
        for (int i = 0; i < DECISIONS_PER_LOG; i++) {
            String globalId = idPrefix + i;
            try {
                writes.get(i).join();
                System.out.println(globalId + " acknowledged");
            } catch (RuntimeException failed) {
                System.out.println(globalId + " failed " + lookup(log, globalId));
            }
        }
        try {
            log.close();
        } catch (DecisionLogException expected) {
            // The journal failed: closing reports it again.
        }
    }

    private static String lookup(DecisionLog log, String globalId) {
        try {
            return log.commitDecisionOf(globalId).isPresent() ? "present" : "absent";
        } catch (DecisionLogException e) {
            return "threw";
        }
    }

    /** About 400 bytes, so that a burst outgrows a limit of a few kilobytes in the middle of some record. */
    private static DecisionRecord.CommitDecision decision(String globalId) {
        List<Posting> postings = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            postings.add(new Posting("account-with-a-long-name-" + i, i % 2 == 0 ? -5 : 5));
        }
        return new DecisionRecord.CommitDecision(globalId, "client-" + globalId, postings, List.of("bank-a", "bank-b"));
    }
}
