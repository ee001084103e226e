package io.clearhouse.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The journal's settings: their defaults and the ranges refused with a message naming the bound. */
class JournalOptionsTest {
    @Test
    void defaultsToFsyncGroupsOf8192RecordsOr8MibAndRecordsOf1Mib() {
        JournalOptions defaults = JournalOptions.defaults();

        assertThat(defaults.fsync()).isTrue();
        assertThat(defaults.groupRecordsMax()).isEqualTo(8_192);
        assertThat(defaults.groupBytesMax()).isEqualTo(8 << 20);
        assertThat(defaults.recordBytesMax()).isEqualTo(1 << 20);
    }

    @Test
    void refusesAGroupOfNoRecord() {
        assertThatThrownBy(() -> new JournalOptions(true, 0, 8 << 20, 1 << 20))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("groupRecordsMax must be at least 1: 0");
    }

    @Test
    void refusesARecordBoundBeyondWhatAFrameCarries() {
        assertThatThrownBy(() -> new JournalOptions(true, 1, Integer.MAX_VALUE, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("recordBytesMax must lie in 0.." + Framing.PAYLOAD_BYTES_LIMIT + ": -1");
    }

    @Test
    void refusesAGroupTooSmallForOneRecordWithItsHeader() {
        assertThatThrownBy(() -> new JournalOptions(true, 1, 1_000, 1_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("groupBytesMax 1000");
        assertThat(new JournalOptions(true, 1, 1_000 + Framing.RECORD_HEADER_BYTES, 1_000).groupBytesMax())
                .isEqualTo(1_008);
    }
}
