package io.clearhouse.xa;

import static io.clearhouse.spi.BankInvariants.assertAtRest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import io.clearhouse.bank.memory.MemoryBankAdapter;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The XA calls a transaction manager makes, made by hand on one memory bank. */
class ParticipantXAResourceTest {
    private static final Map<String, Long> OPENING = balances(100, 100);
    private static final List<Posting> MOVE_30 = List.of(new Posting("a-1", -30), new Posting("a-2", 30));

    private final MemoryBankAdapter bank = MemoryBankAdapter.inMemory("bank-a", OPENING);
    private final ParticipantXAResource resource = new ParticipantXAResource(bank);

    @AfterEach
    void closeBank() {
        bank.close();
    }

    @Test
    void preparesTheBranchPostingsAtTheBankAndCommitsThem() throws XAException {
        XaBranchId xid = xid("t1");
        resource.start(xid, XAResource.TMNOFLAGS);
        resource.post(MOVE_30);
        resource.end(xid, XAResource.TMSUCCESS);

        assertThat(resource.prepare(xid)).isEqualTo(XAResource.XA_OK);
        assertThat(bank.account("a-1").orElseThrow().held()).isEqualTo(30);
        resource.commit(xid, false);

        assertAtRest(bank, balances(70, 130));
    }

    @Test
    void postingsOfOneAccountInABranchAddUp() throws XAException {
        XaBranchId xid = xid("t1");
        resource.start(xid, XAResource.TMNOFLAGS);
        resource.post(List.of(new Posting("a-1", -10), new Posting("a-2", 10)));
        resource.post(List.of(new Posting("a-1", -20), new Posting("a-2", 20)));
        resource.end(xid, XAResource.TMSUCCESS);
        resource.commit(xid, true);

        assertAtRest(bank, balances(70, 130));
    }

    @Test
    void branchWithoutPostingsIsReadOnly() throws XAException {
        XaBranchId xid = xid("t1");
        resource.start(xid, XAResource.TMNOFLAGS);
        resource.end(xid, XAResource.TMSUCCESS);

        assertThat(resource.prepare(xid)).isEqualTo(XAResource.XA_RDONLY);
        assertAtRest(bank, OPENING);
    }

    @Test
    void noVoteIsAnXaRollbackCodeKeepingTheReasonAndHoldsNothing() throws XAException {
        XaBranchId xid = xid("t1");
        resource.start(xid, XAResource.TMNOFLAGS);
        resource.post(List.of(new Posting("a-1", -1_000), new Posting("a-2", 1_000)));
        resource.end(xid, XAResource.TMSUCCESS);

        assertThatThrownBy(() -> resource.prepare(xid))
                .isInstanceOfSatisfying(BranchRefusedException.class, refused -> {
                    assertThat(refused.errorCode).isEqualTo(XAException.XA_RBINTEGRITY);
                    assertThat(refused.reason()).isEqualTo(Reason.INSUFFICIENT_FUNDS);
                });
        assertAtRest(bank, OPENING);
    }

    @Test
    void branchEndedAsFailedIsRolledBackAtItsPrepare() throws XAException {
        XaBranchId xid = xid("t1");
        resource.start(xid, XAResource.TMNOFLAGS);
        resource.post(MOVE_30);
        resource.end(xid, XAResource.TMFAIL);

        assertThatThrownBy(() -> resource.prepare(xid))
                .isInstanceOfSatisfying(
                        XAException.class, e -> assertThat(e.errorCode).isEqualTo(XAException.XA_RBROLLBACK));
        assertThat(bank.prepare(xid.atBank("bank-a"), MOVE_30))
                .as("a late prepare of the rolled back branch")
                .isEqualTo(Vote.abort(Reason.TIMEOUT));
        assertAtRest(bank, OPENING);
    }

    @Test
    void recoverGivesBackTheTransactionManagersXidsOfPreparedBranchesOnly() throws XAException {
        XaBranchId committed = prepared("t1");
        XaBranchId rolledBack = prepared("t2");
        bank.prepare(new Xid("17.42", "bank-a"), List.of(new Posting("a-1", -5), new Posting("a-2", 5)));

        assertThat(resource.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN))
                .as("the coordinator's own branch 17.42 is left alone")
                .containsExactlyInAnyOrder(committed, rolledBack);
        assertThat(resource.recover(XAResource.TMENDRSCAN)).isEmpty();

        ParticipantXAResource afterRestart = new ParticipantXAResource(bank);
        afterRestart.commit(committed, false);
        afterRestart.rollback(rolledBack);
        bank.rollback(new Xid("17.42", "bank-a"));

        assertThat(afterRestart.recover(XAResource.TMSTARTRSCAN)).isEmpty();
        assertAtRest(bank, balances(70, 130));
    }

    @Test
    void duplicatedPrepareAndCommitApplyOnce() throws XAException {
        XaBranchId xid = prepared("t1");

        assertThat(resource.prepare(xid)).isEqualTo(XAResource.XA_OK);
        resource.commit(xid, false);
        resource.commit(xid, false);
        assertThat(resource.prepare(xid))
                .as("a prepare after the commit: nothing left to apply")
                .isEqualTo(XAResource.XA_RDONLY);

        assertAtRest(bank, balances(70, 130));
    }

    @Test
    void refusesPostingsOutsideABranchAndABranchStartedTwice() throws XAException {
        assertThatThrownBy(() -> resource.post(MOVE_30)).isInstanceOf(IllegalStateException.class);

        XaBranchId xid = xid("t1");
        resource.start(xid, XAResource.TMNOFLAGS);
        resource.end(xid, XAResource.TMSUSPEND);
        assertThatThrownBy(() -> resource.post(MOVE_30)).as("suspended").isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> resource.start(xid, XAResource.TMNOFLAGS))
                .isInstanceOfSatisfying(
                        XAException.class, e -> assertThat(e.errorCode).isEqualTo(XAException.XAER_DUPID));
        resource.start(xid, XAResource.TMRESUME);
        resource.post(MOVE_30);
    }

    @Test
    void isTheSameResourceManagerAsItselfOnly() {
        assertThat(resource.isSameRM(resource)).isTrue();
        assertThat(resource.isSameRM(new ParticipantXAResource(bank))).isFalse();
    }

    private XaBranchId prepared(String transaction) throws XAException {
        XaBranchId xid = xid(transaction);
        resource.start(xid, XAResource.TMNOFLAGS);
        resource.post(MOVE_30);
        resource.end(xid, XAResource.TMSUCCESS);
        assertThat(resource.prepare(xid)).isEqualTo(XAResource.XA_OK);
        return xid;
    }

    private static Map<String, Long> balances(long first, long second) {
        Map<String, Long> balances = new LinkedHashMap<>();
        balances.put("a-1", first);
        balances.put("a-2", second);
        return balances;
    }

    private static XaBranchId xid(String transaction) {
        return XaBranchId.of(
                131077, transaction.getBytes(StandardCharsets.UTF_8), "branch-1".getBytes(StandardCharsets.UTF_8));
    }
}
