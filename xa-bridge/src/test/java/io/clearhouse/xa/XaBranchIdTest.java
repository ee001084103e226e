package io.clearhouse.xa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clearhouse.spi.Xid;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class XaBranchIdTest {
    private static final int NARAYANA_FORMAT_ID = 131077;

    @Test
    void carriesTheThreePartsInTheTransactionIdAndBack() {
        XaBranchId id = XaBranchId.of(NARAYANA_FORMAT_ID, bytes("gtrid-1"), new byte[] {-1, 0, 1});

        assertThat(id.transactionId()).isEqualTo("xa:131077:Z3RyaWQtMQ:_wAB");
        assertThat(id.atBank("bank-a")).isEqualTo(new Xid("xa:131077:Z3RyaWQtMQ:_wAB", "bank-a"));
        assertThat(XaBranchId.fromTransactionId(id.transactionId())).contains(id);
    }

    @Test
    void roundTripsTheLongestPartsAndAnEmptyQualifier() {
        XaBranchId longest = XaBranchId.of(-7, new byte[64], new byte[64]);
        XaBranchId noQualifier = XaBranchId.of(0, bytes("g"), new byte[0]);

        assertThat(XaBranchId.fromTransactionId(longest.transactionId())).contains(longest);
        assertThat(XaBranchId.fromTransactionId(noQualifier.transactionId())).contains(noQualifier);
    }

    @Test
    void equalsAnyXidOfTheSameValuesWhateverItsClass() {
        XaBranchId id = XaBranchId.of(NARAYANA_FORMAT_ID, bytes("g"), bytes("b"));
        javax.transaction.xa.Xid sameValues = ClearhouseXaXids.toXa(new Xid("g", "b"));

        assertThat(id).isEqualTo(XaBranchId.of(NARAYANA_FORMAT_ID, bytes("g"), bytes("b")));
        assertThat(id).hasSameHashCodeAs(XaBranchId.of(id));
        assertThat(id).as("another format id").isNotEqualTo(sameValues);
    }

    @Test
    void leavesTransactionIdsOfOtherEncodingsAlone() {
        assertThat(XaBranchId.fromTransactionId("17.42")).as("Clearhouse's own").isEmpty();
        assertThat(XaBranchId.fromTransactionId("xa:1:Zw")).as("two parts").isEmpty();
        assertThat(XaBranchId.fromTransactionId("xa:x:Zw:Yg"))
                .as("format id not a number")
                .isEmpty();
        assertThat(XaBranchId.fromTransactionId("xa:1::Yg")).as("empty gtrid").isEmpty();
        assertThat(XaBranchId.fromTransactionId("xa:1:Zw==:Yg")).as("padded").isEmpty();
        assertThat(XaBranchId.fromTransactionId("xa:+1:Zw:Yg"))
                .as("a second spelling of 1")
                .isEmpty();
        assertThat(XaBranchId.fromTransactionId("xa:1:Z!:Yg"))
                .as("not base64url")
                .isEmpty();
        assertThat(XaBranchId.fromTransactionId("xa:1:" + "A".repeat(88) + ":Yg"))
                .as("66 bytes")
                .isEmpty();
    }

    @Test
    void refusesPartsBeyondXaLimits() {
        assertThatThrownBy(() -> XaBranchId.of(1, new byte[65], new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> XaBranchId.of(1, new byte[0], new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> XaBranchId.of(1, new byte[1], new byte[65]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
