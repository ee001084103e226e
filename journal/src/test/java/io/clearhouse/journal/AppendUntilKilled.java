package io.clearhouse.journal;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The process {@link JournalCrashIT} kills: several threads append numbered records durably to the journal named by
 * the first argument, and print each number once its append is acknowledged, until the process is killed. Every
 * fifth record is appended lazily and never printed, since a crash may lose it.
 */
public final class AppendUntilKilled {
    static final int THREADS = 8;
    static final int RECORDS_PER_THREAD_MAX = 1_000_000;

    private AppendUntilKilled() {}

    public static void main(String[] arguments) throws InterruptedException {
        Journal journal = Journal.open(Path.of(arguments[0]), JournalOptions.defaults());
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            threads.add(new Thread(() -> append(journal, thread, out)));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
    }

    private static void append(Journal journal, int thread, PrintStream out) {
        for (int i = 0; i < RECORDS_PER_THREAD_MAX; i++) {
            String record = thread + ":" + i;
            byte[] bytes = (record + ":" + "x".repeat(i % 97)).getBytes(StandardCharsets.UTF_8);
            if (i % 5 == 4) {
                journal.append(bytes);
                continue;
            }
            journal.appendDurablyAndWait(bytes);
            synchronized (out) {
                out.println(record);
                out.flush();
            }
        }
    }
}
