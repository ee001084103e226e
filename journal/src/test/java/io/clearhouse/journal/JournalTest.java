package io.clearhouse.journal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    private static final JournalOptions NO_FSYNC = JournalOptions.defaults().withFsync(false);

    @TempDir
    Path directory;

    @Test
    void recordsSurviveCloseAndReopen() {
        Path file = directory.resolve("nested/dir/log");
        try (Journal journal = Journal.open(file, JournalOptions.defaults())) {
            assertThat(journal.recoveredRecords()).isEmpty();
            journal.appendDurablyAndWait(bytes("one"));
            journal.appendDurably(new byte[0]).join();
            journal.appendDurablyAndWait(bytes("three"));
            assertThat(journal.forcedWrites()).isBetween(1L, 3L);
        }
        try (Journal journal = Journal.open(file, JournalOptions.defaults())) {
            assertThat(texts(journal.recoveredRecords())).containsExactly("one", "", "three");
            journal.appendDurablyAndWait(bytes("four"));
        }
        assertThat(texts(reopen(file))).containsExactly("one", "", "three", "four");
    }

    @Test
    void dropsATornLastRecordCutAtAnyLength() throws IOException {
        Path file = directory.resolve("log");
        writeRecords(file, "first", "second", "the last record");
        byte[] full = Files.readAllBytes(file);
        int lastStart = full.length - Framing.RECORD_HEADER_BYTES - "the last record".length();
        for (int cut = lastStart; cut < full.length; cut++) {
            Path torn = directory.resolve("torn-" + cut);
            Files.write(torn, java.util.Arrays.copyOf(full, cut));
            try (Journal journal = Journal.open(torn, NO_FSYNC)) {
                assertThat(texts(journal.recoveredRecords())).containsExactly("first", "second");
                journal.appendDurablyAndWait(bytes("after"));
            }
            assertThat(texts(reopen(torn))).containsExactly("first", "second", "after");
        }
    }

    @Test
    void dropsALastRecordWithAnyFlippedByte() throws IOException {
        Path file = directory.resolve("log");
        writeRecords(file, "first", "second", "the last record");
        byte[] full = Files.readAllBytes(file);
        int lastStart = full.length - Framing.RECORD_HEADER_BYTES - "the last record".length();
        for (int flipped = lastStart; flipped < full.length; flipped++) {
            byte[] damaged = full.clone();
            damaged[flipped] ^= 0x10;
            Path file2 = directory.resolve("flipped-" + flipped);
            Files.write(file2, damaged);
            assertThat(texts(reopen(file2))).containsExactly("first", "second");
            assertThat(Files.size(file2)).isEqualTo(lastStart);
        }
    }

    @Test
    void dropsAZeroFilledTail() throws IOException {
        Path file = directory.resolve("log");
        writeRecords(file, "first", "second");
        long validSize = Files.size(file);
        Files.write(file, new byte[4096], java.nio.file.StandardOpenOption.APPEND);
        assertThat(texts(reopen(file))).containsExactly("first", "second");
        assertThat(Files.size(file)).isEqualTo(validSize);
    }

    @Test
    void failsLoudlyOnCorruptionBeforeTheTail() throws IOException {
        Path file = directory.resolve("log");
        writeRecords(file, "first", "second", "third");
        byte[] damaged = Files.readAllBytes(file);
        int secondStart = Framing.FILE_HEADER_BYTES + Framing.RECORD_HEADER_BYTES + "first".length();
        damaged[secondStart + Framing.RECORD_HEADER_BYTES + 2] ^= 0x01;
        Files.write(file, damaged);
        assertThatThrownBy(() -> Journal.open(file, NO_FSYNC))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("offset " + secondStart);
        assertThat(Files.readAllBytes(file)).isEqualTo(damaged);
    }

    @Test
    void failsLoudlyOnADamagedLengthBeforeTheTail() throws IOException {
        Path file = directory.resolve("log");
        writeRecords(file, "first", "second", "third");
        byte[] damaged = Files.readAllBytes(file);
        damaged[Framing.FILE_HEADER_BYTES + 3] ^= 0x02;
        Files.write(file, damaged);
        assertThatThrownBy(() -> Journal.open(file, NO_FSYNC))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("offset " + Framing.FILE_HEADER_BYTES);
    }

    @Test
    void refusesAForeignFile() throws IOException {
        Path file = directory.resolve("foreign");
        Files.write(file, bytes("this is not a journal at all"));
        assertThatThrownBy(() -> Journal.open(file, NO_FSYNC))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("not a journal");
    }

    @Test
    void startsAfreshFromATornHeader() throws IOException {
        Path file = directory.resolve("log");
        Files.write(file, java.util.Arrays.copyOf(Framing.fileHeader().array(), 5));
        assertThat(reopen(file)).isEmpty();
        assertThat(Files.size(file)).isEqualTo(Framing.FILE_HEADER_BYTES);
    }

    @Test
    void refusesASecondOpenOfTheSameFile() {
        Path file = directory.resolve("log");
        try (Journal journal = Journal.open(file, NO_FSYNC)) {
            assertThatThrownBy(() -> Journal.open(file, NO_FSYNC))
                    .isInstanceOf(JournalException.class)
                    .hasMessageContaining("already open");
            journal.appendDurablyAndWait(bytes("still usable"));
        }
        assertThat(texts(reopen(file))).containsExactly("still usable");
    }

    @Test
    void releasedRecoveredRecordsCannotBeReadAgain() {
        Path file = directory.resolve("log");
        writeRecords(file, "one");
        try (Journal journal = Journal.open(file, NO_FSYNC)) {
            assertThat(journal.recoveredRecords()).hasSize(1);
            journal.releaseRecoveredRecords();
            assertThatThrownBy(journal::recoveredRecords).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void closeWhileAppendingPersistsEveryAcceptedRecordAndRefusesLaterOnes() throws Exception {
        Path file = directory.resolve("log");
        int threads = 8;
        List<List<String>> accepted = new ArrayList<>();
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            Journal journal = Journal.open(file, JournalOptions.defaults());
            CountDownLatch someAppended = new CountDownLatch(threads);
            List<Future<List<String>>> appenders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                appenders.add(executor.submit(() -> appendUntilClosed(journal, thread, someAppended)));
            }
            someAppended.await();
            journal.close();
            for (Future<List<String>> appender : appenders) {
                accepted.add(appender.get());
            }
        } finally {
            executor.shutdownNow();
        }
        List<String> recovered = texts(reopen(file));
        for (List<String> acceptedByThread : accepted) {
            assertThat(acceptedByThread).isNotEmpty();
            assertThat(recovered).containsAll(acceptedByThread);
        }
        assertThat(recovered).hasSize(accepted.stream().mapToInt(List::size).sum());
    }

    /** Appends, alternating lazy and durable records, until the journal refuses; returns what it accepted. */
    private static List<String> appendUntilClosed(Journal journal, int thread, CountDownLatch someAppended) {
        List<String> accepted = new ArrayList<>();
        for (int i = 0; ; i++) {
            String record = thread + ":" + i;
            try {
                if (i % 2 == 0) {
                    journal.append(bytes(record));
                } else {
                    journal.appendDurablyAndWait(bytes(record));
                }
            } catch (JournalException closed) {
                return accepted;
            }
            accepted.add(record);
            if (i == 10) {
                someAppended.countDown();
            }
        }
    }

    @Test
    void refusesARecordAboveTheLimitAndAppendsAfterClose() {
        Path file = directory.resolve("log");
        Journal journal = Journal.open(file, new JournalOptions(false, 8_192, 8 << 20, 4));
        assertThatThrownBy(() -> journal.append(bytes("12345"))).isInstanceOf(IllegalArgumentException.class);
        journal.close();
        assertThatThrownBy(() -> journal.append(bytes("1"))).isInstanceOf(JournalException.class);
        journal.close();
    }

    @Test
    void persistsLazyRecordsAtCloseInAppendOrder() {
        Path file = directory.resolve("log");
        try (Journal journal = Journal.open(file, JournalOptions.defaults())) {
            journal.append(bytes("lazy 1"));
            journal.appendDurablyAndWait(bytes("durable 2"));
            journal.append(bytes("lazy 3"));
            journal.append(bytes("lazy 4"));
            assertThat(journal.forcedWrites()).isEqualTo(1);
        }
        assertThat(texts(reopen(file))).containsExactly("lazy 1", "durable 2", "lazy 3", "lazy 4");
    }

    @Test
    void forceAppendedMakesEveryEarlierLazyRecordDurableWithOneForce() throws IOException {
        Path file = directory.resolve("log");
        try (Journal journal = Journal.open(file, JournalOptions.defaults())) {
            long sizeBefore = Files.size(file);
            long forcesBefore = journal.forcedWrites();
            journal.append(bytes("lazy 1"));
            journal.append(bytes("lazy 2"));
            journal.forceAppended().join();
            assertThat(Files.size(file)).isEqualTo(sizeBefore + 2 * (Framing.RECORD_HEADER_BYTES + 6));
            assertThat(journal.forcedWrites()).isEqualTo(forcesBefore + 1);
            journal.forceAppended().join();
            assertThat(journal.forcedWrites()).as("nothing new to force").isEqualTo(forcesBefore + 1);
        }
        assertThat(texts(reopen(file))).containsExactly("lazy 1", "lazy 2");
    }

    @Test
    void writesLazyRecordsWhenTheGroupIsFull() {
        Path file = directory.resolve("log");
        try (Journal journal = Journal.open(file, new JournalOptions(false, 3, 8 << 20, 1 << 20))) {
            for (int i = 0; i < 100; i++) {
                journal.append(bytes("lazy " + i));
            }
        }
        assertThat(reopen(file)).hasSize(100);
    }

    @Test
    void concurrentDurableAppendsShareForcesAndKeepEachThreadsOrder() throws Exception {
        Path file = directory.resolve("log");
        int threads = 32;
        int recordsPerThread = 100;
        long forces;
        try (Journal journal = Journal.open(file, JournalOptions.defaults())) {
            ExecutorService executor = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> appenders = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    appenders.add(executor.submit(() -> {
                        start.await();
                        appendInOrder(journal, thread, recordsPerThread);
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> appender : appenders) {
                    appender.get();
                }
            } finally {
                executor.shutdownNow();
            }
            forces = journal.forcedWrites();
        }
        assertThat(forces).isLessThan(threads * recordsPerThread / 2);
        List<String> recovered = texts(reopen(file));
        assertThat(recovered).hasSize(threads * recordsPerThread);
        int[] next = new int[threads];
        for (String record : recovered) {
            String[] parts = record.split(":");
            int thread = Integer.parseInt(parts[0]);
            assertThat(Integer.parseInt(parts[1])).isEqualTo(next[thread]);
            next[thread]++;
        }
    }

    private static void appendInOrder(Journal journal, int thread, int records) {
        for (int i = 0; i < records; i++) {
            journal.appendDurablyAndWait(bytes(thread + ":" + i));
        }
    }

    @Test
    void durableAppendsWithoutWaitingAreAllWrittenInOrder() {
        Path file = directory.resolve("log");
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        try (Journal journal = Journal.open(file, new JournalOptions(true, 16, 8 << 20, 1 << 20))) {
            for (int i = 0; i < 1000; i++) {
                futures.add(journal.appendDurably(bytes(Integer.toString(i))));
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
            assertThat(journal.forcedWrites()).isLessThan(1000);
        }
        List<String> recovered = texts(reopen(file));
        for (int i = 0; i < 1000; i++) {
            assertThat(recovered.get(i)).isEqualTo(Integer.toString(i));
        }
    }

    private static void writeRecords(Path file, String... records) {
        try (Journal journal = Journal.open(file, NO_FSYNC)) {
            for (String record : records) {
                journal.appendDurablyAndWait(bytes(record));
            }
        }
    }

    private static List<byte[]> reopen(Path file) {
        try (Journal journal = Journal.open(file, NO_FSYNC)) {
            return journal.recoveredRecords();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    private static List<String> texts(List<byte[]> records) {
        return records.stream().map(record -> new String(record, UTF_8)).toList();
    }
}
