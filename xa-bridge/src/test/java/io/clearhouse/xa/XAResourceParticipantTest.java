package io.clearhouse.xa;

import static io.clearhouse.spi.BankInvariants.assertAtRest;
import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import io.clearhouse.bank.memory.MemoryBankAdapter;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Clearhouse's calls on an XA resource manager, through {@link XAResourceParticipant}: the resource manager is a memory
 * bank behind a {@link ParticipantXAResource}, so the test also shows that the two directions compose.
 */
class XAResourceParticipantTest {
    private static final List<Posting> MOVE_30 = List.of(new Posting("a-1", -30), new Posting("a-2", 30));

    private final MemoryBankAdapter bank = MemoryBankAdapter.inMemory("bank-a", balances(100, 100));
    private final XAResourceParticipant participant =
            new XAResourceParticipant("bank-a", new BankAsXaResourceManager(bank));

    @AfterEach
    void closeParticipant() {
        participant.close();
    }

    @Test
    void preparesAnXaBranchAndCommitsItByXid() {
        Xid xid = new Xid("t1", "bank-a");

        assertThat(participant.prepare(xid, MOVE_30)).isEqualTo(Vote.COMMIT);
        assertThat(participant.recover()).containsExactly(xid);
        assertThat(participant.account("a-1").orElseThrow().held()).isEqualTo(30);
        participant.commit(xid);

        assertAtRest(participant, balances(70, 130));
    }

    @Test
    void anXaRollbackCodeIsANoVoteWithTheReasonOfTheResourceManager() {
        Xid xid = new Xid("t1", "bank-a");

        assertThat(participant.prepare(xid, List.of(new Posting("a-1", -1_000), new Posting("a-2", 1_000))))
                .isEqualTo(Vote.abort(Reason.INSUFFICIENT_FUNDS));
        assertAtRest(participant, balances(100, 100));
    }

    @Test
    void aRefusalOfTheWorkIsANoVoteAndRollsTheXaBranchBack() {
        XAResourceParticipant refusing = new XAResourceParticipant(
                "bank-a", new BankAsXaResourceManager(bank, postings -> Optional.of(Reason.UNKNOWN_ACCOUNT)));
        Xid xid = new Xid("t1", "bank-a");

        assertThat(refusing.prepare(xid, MOVE_30)).isEqualTo(Vote.abort(Reason.UNKNOWN_ACCOUNT));
        assertThat(bank.prepare(ClearhouseXaXids.toXa(xid).atBank("bank-a"), MOVE_30))
                .as("the branch was rolled back at the resource manager, which remembers it")
                .isEqualTo(Vote.abort(Reason.TIMEOUT));
        assertAtRest(participant, balances(100, 100));
    }

    @Test
    void duplicatedCallsApplyOnceAndUnknownXidsAreAcknowledged() {
        Xid xid = new Xid("t1", "bank-a");

        assertThat(participant.prepare(xid, MOVE_30)).isEqualTo(Vote.COMMIT);
        assertThat(participant.prepare(xid, MOVE_30)).isEqualTo(Vote.COMMIT);
        participant.commit(xid);
        participant.commit(xid);
        participant.commit(new Xid("never-prepared", "bank-a"));
        participant.rollback(new Xid("never-seen", "bank-a"));

        assertThat(participant.prepare(new Xid("never-seen", "bank-a"), MOVE_30))
                .as("a prepare after its rollback")
                .isEqualTo(Vote.abort(Reason.TIMEOUT));
        assertAtRest(participant, balances(70, 130));
    }

    @Test
    void recoverLeavesBranchesOfOtherTransactionManagersAndBanksAlone() throws XAException {
        Xid own = new Xid("t1", "bank-a");
        participant.prepare(own, MOVE_30);
        ParticipantXAResource sameBank = new ParticipantXAResource(bank);
        XaBranchId narayanas = XaBranchId.of(131077, bytes("gtrid"), bytes("bqual"));
        sameBank.start(narayanas, XAResource.TMNOFLAGS);
        sameBank.post(MOVE_30);
        sameBank.end(narayanas, XAResource.TMSUCCESS);
        sameBank.prepare(narayanas);
        XaBranchId otherBank = ClearhouseXaXids.toXa(new Xid("t2", "bank-b"));
        sameBank.start(otherBank, XAResource.TMNOFLAGS);
        sameBank.post(MOVE_30);
        sameBank.end(otherBank, XAResource.TMSUCCESS);
        sameBank.prepare(otherBank);

        assertThat(participant.recover()).containsExactly(own);
    }

    private static Map<String, Long> balances(long first, long second) {
        Map<String, Long> balances = new LinkedHashMap<>();
        balances.put("a-1", first);
        balances.put("a-2", second);
        return balances;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
