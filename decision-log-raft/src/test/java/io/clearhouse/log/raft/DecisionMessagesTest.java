package io.clearhouse.log.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clearhouse.core.log.CorruptDecisionRecordException;
import io.clearhouse.core.log.DecisionRecordCodec;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Optional;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

/** The entries' bytes: those the first version wrote still read the same, and a prune entry is checked. */
class DecisionMessagesTest {
    @Test
    void readsAnAppendEntryAsTheFirstVersionWroteIt() throws IOException {
        byte[] record = DecisionRecordCodec.encode(DecisionStateTest.abort("1.1", "t1"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(0);
            out.writeLong(7);
            out.writeInt(1);
            out.writeInt(record.length);
            out.write(record);
        }

        DecisionMessages.Request request = DecisionMessages.decodeRequest(ByteString.copyFrom(bytes.toByteArray()));

        assertThat(request.kind()).isEqualTo(DecisionMessages.Kind.APPEND);
        assertThat(request.term()).isEqualTo(7);
        assertThat(request.records()).containsExactly(record);
        assertThat(request.prune()).isEmpty();
    }

    @Test
    void aPruneEntryReadsBackAsWritten() {
        DecisionMessages.Prune prune = new DecisionMessages.Prune(1_000, 2_000, 50);

        DecisionMessages.Request request =
                DecisionMessages.decodeRequest(DecisionMessages.prune(3, prune).getContent());

        assertThat(request.kind()).isEqualTo(DecisionMessages.Kind.PRUNE);
        assertThat(request.term()).isEqualTo(3);
        assertThat(request.prune()).isEqualTo(Optional.of(prune));
    }

    @Test
    void refusesAPruneWhoseCutoffIsAfterItsTimeOrWithoutALimit() {
        assertThatThrownBy(() -> new DecisionMessages.Prune(2_001, 2_000, 50))
                .isInstanceOf(CorruptDecisionRecordException.class)
                .hasMessageContaining("cutoff 2001 after its time 2000");
        assertThatThrownBy(() -> new DecisionMessages.Prune(1_000, 2_000, 0))
                .isInstanceOf(CorruptDecisionRecordException.class)
                .hasMessageContaining("a limit of 0 transactions");
    }
}
