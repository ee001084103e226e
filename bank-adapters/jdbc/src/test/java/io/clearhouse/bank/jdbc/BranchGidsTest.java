package io.clearhouse.bank.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.spi.Xid;
import org.junit.jupiter.api.Test;

class BranchGidsTest {
    @Test
    void gidIsFormatIdThenBase64OfTransactionAndBank() {
        assertThat(BranchGids.gid(new Xid("17.42", "bank-1"))).isEqualTo("1131169841_MTcuNDI=_YmFuay0x");
    }

    @Test
    void parsesItsOwnGidsOfItsOwnBankOnly() {
        String gid = BranchGids.gid(new Xid("17.42", "bank-1"));

        assertThat(BranchGids.parse(gid, "bank-1")).contains(new Xid("17.42", "bank-1"));
        assertThat(BranchGids.parse(gid, "bank-2")).isEmpty();
        assertThat(BranchGids.parse("131077_AAAA_BBBB", "bank-1"))
                .as("Narayana's format id")
                .isEmpty();
        assertThat(BranchGids.parse("some-other-manager-7", "bank-1")).isEmpty();
        assertThat(BranchGids.parse("1131169841_!!_YmFuay0x", "bank-1"))
                .as("not base64")
                .isEmpty();
        assertThat(BranchGids.parse("1131169841__YmFuay0x", "bank-1"))
                .as("no transaction id")
                .isEmpty();
    }
}
