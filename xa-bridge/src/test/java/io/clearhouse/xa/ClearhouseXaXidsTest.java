package io.clearhouse.xa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clearhouse.spi.Xid;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ClearhouseXaXidsTest {
    @Test
    void xaFormIsClh1ThenTheUtf8OfTransactionAndBank() {
        XaBranchId xa = ClearhouseXaXids.toXa(new Xid("17.42", "bank-1"));

        assertThat(xa.getFormatId()).isEqualTo(0x436C4831);
        assertThat(xa.getGlobalTransactionId()).isEqualTo("17.42".getBytes(StandardCharsets.UTF_8));
        assertThat(xa.getBranchQualifier()).isEqualTo("bank-1".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsBackItsOwnXidsOfTheAskingBankOnly() {
        XaBranchId xa = ClearhouseXaXids.toXa(new Xid("17.42", "bank-1"));

        assertThat(ClearhouseXaXids.fromXa(xa, "bank-1")).contains(new Xid("17.42", "bank-1"));
        assertThat(ClearhouseXaXids.fromXa(xa, "bank-2")).isEmpty();
        assertThat(ClearhouseXaXids.fromXa(XaBranchId.of(131077, bytes("17.42"), bytes("bank-1")), "bank-1"))
                .as("Narayana's format id")
                .isEmpty();
        assertThat(ClearhouseXaXids.fromXa(XaBranchId.of(0x436C4831, new byte[] {-1}, bytes("bank-1")), "bank-1"))
                .as("not UTF-8")
                .isEmpty();
    }

    @Test
    void refusesIdsLongerThanXaAllows() {
        assertThat(ClearhouseXaXids.fits("x".repeat(64))).isTrue();
        assertThat(ClearhouseXaXids.fits("é".repeat(33)))
                .as("66 bytes of UTF-8")
                .isFalse();
        assertThatThrownBy(() -> ClearhouseXaXids.toXa(new Xid("x".repeat(65), "b")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
