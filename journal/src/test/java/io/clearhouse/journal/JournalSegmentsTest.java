package io.clearhouse.journal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clearhouse.journal.JournalSegments.Segment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalSegmentsTest {
    private static final JournalOptions NO_FSYNC = JournalOptions.defaults().withFsync(false);

    @TempDir
    Path directory;

    @Test
    void listsTheBaseFileAsTheFirstSegmentAndTheNumberedOnesAfterIt() throws IOException {
        Path base = directory.resolve("nested/decisions.log");
        try (JournalSegments segments = JournalSegments.lock(base, JournalOptions.defaults())) {
            assertThat(segments.list()).isEmpty();
            assertThat(segments.fileAfter(Optional.empty())).isEqualTo(base.toAbsolutePath());
            write(base, "first");
            Path second = segments.fileAfter(Optional.of(segments.list().get(0)));
            assertThat(second.getFileName()).hasToString("decisions.log.000001");
            write(second, "second");
            Files.writeString(directory.resolve("nested/decisions.log.tmp"), "not a segment");
            Files.writeString(directory.resolve("nested/decisions.log."), "not a segment");
            Files.writeString(directory.resolve("nested/other.log"), "not a segment");
            Files.setLastModifiedTime(base, FileTime.fromMillis(1_000_000));

            List<Segment> listed = segments.list();

            assertThat(listed).extracting(Segment::number).containsExactly(0L, 1L);
            assertThat(listed.get(0).lastWrittenMillis()).isEqualTo(1_000_000);
            assertThat(texts(segments.read(listed.get(0)))).containsExactly("first");
            assertThat(texts(segments.read(listed.get(1)))).containsExactly("second");
            assertThat(segments.fileAfter(Optional.of(listed.get(1))).getFileName())
                    .hasToString("decisions.log.000002");
        }
    }

    @Test
    void readsASegmentWithATornTailWithoutCuttingIt() throws IOException {
        Path base = directory.resolve("decisions.log");
        write(base, "kept", "torn");
        byte[] full = Files.readAllBytes(base);
        Files.write(base, Arrays.copyOf(full, full.length - 2));
        long tornSize = Files.size(base);

        try (JournalSegments segments = JournalSegments.lock(base, NO_FSYNC)) {
            assertThat(texts(segments.read(segments.list().get(0)))).containsExactly("kept");
        }
        assertThat(Files.size(base)).isEqualTo(tornSize);
    }

    @Test
    void refusesASegmentDamagedBeforeItsTail() throws IOException {
        Path base = directory.resolve("decisions.log");
        write(base, "first", "second");
        try (FileChannel channel = FileChannel.open(base, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {0x7f}), Framing.FILE_HEADER_BYTES + 9);
        }
        try (JournalSegments segments = JournalSegments.lock(base, NO_FSYNC)) {
            Segment damaged = segments.list().get(0);
            assertThatThrownBy(() -> segments.read(damaged))
                    .isInstanceOf(JournalException.class)
                    .hasMessageContaining(base.toString())
                    .hasMessageContaining("corrupt record at offset");
        }
    }

    @Test
    void deletesSegmentsAndLeavesTheOthers() {
        Path base = directory.resolve("decisions.log");
        try (JournalSegments segments = JournalSegments.lock(base, JournalOptions.defaults())) {
            write(base, "old");
            write(segments.fileAfter(Optional.of(segments.list().get(0))), "new");
            List<Segment> listed = segments.list();

            segments.delete(List.of(listed.get(0)));

            assertThat(segments.list()).extracting(Segment::number).containsExactly(1L);
            assertThat(base).doesNotExist();
        }
    }

    @Test
    void belongsToOneHolderAtATime() {
        Path base = directory.resolve("decisions.log");
        try (JournalSegments first = JournalSegments.lock(base, NO_FSYNC)) {
            assertThatThrownBy(() -> JournalSegments.lock(base, NO_FSYNC))
                    .isInstanceOf(JournalException.class)
                    .hasMessageContaining("decisions.log.lock")
                    .hasMessageContaining("already held");
        }
        JournalSegments.lock(base, NO_FSYNC).close();
    }

    private static void write(Path file, String... records) {
        try (Journal journal = Journal.open(file, NO_FSYNC)) {
            for (String record : records) {
                journal.appendDurablyAndWait(record.getBytes(UTF_8));
            }
        }
    }

    private static List<String> texts(List<byte[]> records) {
        return records.stream().map(bytes -> new String(bytes, UTF_8)).toList();
    }
}
