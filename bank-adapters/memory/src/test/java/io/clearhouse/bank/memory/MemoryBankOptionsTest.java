package io.clearhouse.bank.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clearhouse.journal.JournalOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A memory bank's settings: today's defaults, the ranges refused, and what its journal is given. */
class MemoryBankOptionsTest {
    private final MemoryBankOptions durable = MemoryBankOptions.durable(Path.of("bank"), true);

    @Test
    void defaultsAreThoseTheBankHadAsConstants() {
        assertThat(durable.finishedXidsMax()).isEqualTo(100_000);
        assertThat(MemoryBankOptions.inMemory().finishedXidsMax()).isEqualTo(16);
        assertThat(durable.finishedXidsRetentionMillis()).isEqualTo(60_000);
        assertThat(durable.compactionRecordsMin()).isEqualTo(1_000);
        assertThat(durable.logGrowthBytesMax()).isEqualTo(256L << 20);
        assertThat(durable.logRecordBytesMax()).isEqualTo(64 << 20);
        assertThat(durable.logGroupRecordsMax()).isEqualTo(8_192);
    }

    @Test
    void givesItsJournalTheLogsBoundsAndRoomForOneFullRecordPerGroup() {
        JournalOptions journal = durable.withLogRecordBytesMax(2 << 20)
                .withLogGroupRecordsMax(100)
                .journalOptions();

        assertThat(journal.fsync()).isTrue();
        assertThat(journal.recordBytesMax()).isEqualTo(2 << 20);
        assertThat(journal.groupRecordsMax()).isEqualTo(100);
        assertThat(journal.groupBytesMax()).isGreaterThan(journal.recordBytesMax());
    }

    @Test
    void refusesLogRecordBoundsOutsideTheirRange() {
        assertThatThrownBy(() -> durable.withLogRecordBytesMax(MemoryBankOptions.LOG_RECORD_BYTES_MIN - 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("logRecordBytesMax must lie in 1048576..1073741824: 1048575");
        assertThatThrownBy(() -> durable.withLogRecordBytesMax(MemoryBankOptions.LOG_RECORD_BYTES_LIMIT + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("logRecordBytesMax");
        assertThat(durable.withLogRecordBytesMax(MemoryBankOptions.LOG_RECORD_BYTES_LIMIT)
                        .journalOptions())
                .as("the largest record still fits a group")
                .isNotNull();
        assertThatThrownBy(() -> durable.withLogGroupRecordsMax(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("logGroupRecordsMax must be at least 1: 0");
    }

    @Test
    void refusesBoundsOnMarkersAndCompactionBelowOne() {
        assertThatThrownBy(() -> durable.withFinishedXidsMax(0)).hasMessageContaining("finishedXidsMax");
        assertThatThrownBy(() -> durable.withFinishedXidsRetentionMillis(0))
                .hasMessageContaining("finishedXidsRetentionMillis");
        assertThatThrownBy(() -> durable.withCompactionRecordsMin(0)).hasMessageContaining("compactionRecordsMin");
        assertThatThrownBy(() -> durable.withLogGrowthBytesMax(0)).hasMessageContaining("logGrowthBytesMax");
    }
}
