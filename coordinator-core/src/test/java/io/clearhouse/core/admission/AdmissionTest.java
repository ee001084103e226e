package io.clearhouse.core.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.api.Posting;
import io.clearhouse.api.Reason;
import io.clearhouse.api.Transaction;
import io.clearhouse.bank.memory.MemoryBankAdapter;
import io.clearhouse.core.directory.AccountDirectory;
import io.clearhouse.core.protocol.Event;
import io.clearhouse.core.protocol.TransactionMachine;
import io.clearhouse.spi.BankAdapter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdmissionTest {
    private final Admission admission = new Admission(directory(), 3, 12, 5);

    private static AccountDirectory directory() {
        Map<String, BankAdapter> banks = new LinkedHashMap<>();
        banks.put("A", MemoryBankAdapter.inMemory("A", Map.of("a1", 10L, "a2", 10L)));
        banks.put("B", MemoryBankAdapter.inMemory("B", Map.of("b1", 10L)));
        return AccountDirectory.of(banks);
    }

    private static List<Posting> transfer(String from, String to, long amount) {
        return List.of(new Posting(from, -amount), new Posting(to, amount));
    }

    @Test
    void anIdOrAccountNoLogCouldStoreIsRefusedBeforeItIsClaimed() {
        assertThat(admission.refusalBeforeClaim("t1", transfer("a1", "b1", 1))).isNull();
        assertThat(admission.refusalBeforeClaim(" ", transfer("a1", "b1", 1))).isEqualTo(Reason.INVALID_FORMAT);
        assertThat(admission.refusalBeforeClaim("t1-is-too-long", transfer("a1", "b1", 1)))
                .isEqualTo(Reason.INVALID_FORMAT);
        assertThat(admission.refusalBeforeClaim("t1", transfer("a1", "b\u00001", 1)))
                .isEqualTo(Reason.INVALID_FORMAT);
    }

    @Test
    void aKnownIdIsARetryOnlyWithTheSamePostings() {
        assertThat(Admission.isRetry(transfer("a1", "b1", 1), transfer("a1", "b1", 1)))
                .isTrue();
        assertThat(Admission.isRetry(transfer("a1", "b1", 1), transfer("a1", "b1", 2)))
                .isFalse();
    }

    @Test
    void aTransferAcrossBanksIsRoutedToEachAndStarts() {
        TransactionMachine machine = admission.admit("9.1", new Transaction("t1", transfer("a1", "b1", 1)));

        assertThat(machine.firstEvent()).isEqualTo(Event.START);
        assertThat(machine.branchCount()).isEqualTo(2);
        assertThat(List.of(machine.branchBank(0), machine.branchBank(1))).containsExactly("A", "B");
        assertThat(machine.globalId()).isEqualTo("9.1");
        assertThat(machine.clientId()).isEqualTo("t1");
    }

    @Test
    void aTransferWithinOneBankHasOneBranch() {
        TransactionMachine machine = admission.admit("9.1", new Transaction("t1", transfer("a1", "a2", 1)));

        assertThat(machine.branchCount()).isEqualTo(1);
        assertThat(machine.firstEvent()).isEqualTo(Event.START);
    }

    @Test
    void aBrokenRuleOrAnUnknownAccountIsRefusedWithoutBranches() {
        List<Posting> fourPostings =
                List.of(new Posting("a1", -3), new Posting("a2", 1), new Posting("b1", 1), new Posting("b1", 1));
        assertRefused(new Transaction("t1", fourPostings), Reason.TOO_MANY_POSTINGS);
        assertRefused(new Transaction("t1", transfer("a1", "a1", 1)), Reason.SAME_ACCOUNT);
        assertRefused(new Transaction("t1", transfer("a1", "zz", 1)), Reason.UNKNOWN_ACCOUNT);
    }

    private void assertRefused(Transaction transaction, Reason reason) {
        TransactionMachine machine = admission.admit("9.1", transaction);
        assertThat(machine.branchCount()).isZero();
        assertThat(machine.firstEvent()).isEqualTo(new Event.Refuse(reason));
    }
}
