package io.clearhouse.bank.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clearhouse.spi.Xid;
import org.junit.jupiter.api.Test;

class BranchXidTest {
    @Test
    void gidIsFormatIdThenBase64OfTransactionAndBank() {
        assertThat(BranchXid.of(new Xid("17.42", "bank-1")).gid()).isEqualTo("1131169841_MTcuNDI=_YmFuay0x");
    }

    @Test
    void parsesItsOwnGidsOfItsOwnBankOnly() {
        String gid = BranchXid.of(new Xid("17.42", "bank-1")).gid();

        assertThat(BranchXid.parse(gid, "bank-1")).contains(new Xid("17.42", "bank-1"));
        assertThat(BranchXid.parse(gid, "bank-2")).isEmpty();
        assertThat(BranchXid.parse("131077_AAAA_BBBB", "bank-1"))
                .as("Narayana's format id")
                .isEmpty();
        assertThat(BranchXid.parse("some-other-manager-7", "bank-1")).isEmpty();
        assertThat(BranchXid.parse("1131169841_!!_YmFuay0x", "bank-1"))
                .as("not base64")
                .isEmpty();
    }

    @Test
    void refusesIdsLongerThanXaAllows() {
        assertThat(BranchXid.fits("x".repeat(64))).isTrue();
        assertThat(BranchXid.fits("é".repeat(33))).as("66 bytes of UTF-8").isFalse();
        assertThatThrownBy(() -> BranchXid.of(new Xid("x".repeat(65), "b")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
