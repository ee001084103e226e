package io.clearhouse.core.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clearhouse.api.Posting;
import io.clearhouse.bank.memory.MemoryBankAdapter;
import io.clearhouse.core.protocol.Branch;
import io.clearhouse.spi.BankAdapter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccountDirectoryTest {
    private static Map<String, BankAdapter> banks(MemoryBankAdapter... adapters) {
        Map<String, BankAdapter> banks = new LinkedHashMap<>();
        for (MemoryBankAdapter adapter : adapters) {
            banks.put(adapter.bankId(), adapter);
        }
        return banks;
    }

    private final AccountDirectory directory = AccountDirectory.of(banks(
            MemoryBankAdapter.inMemory("A", Map.of("a1", 1L, "a2", 1L)),
            MemoryBankAdapter.inMemory("B", Map.of("b1", 1L))));

    @Test
    void findsTheBankOfEveryAccount() {
        assertThat(directory.bankOf("a2")).isEqualTo("A");
        assertThat(directory.bankOf("b1")).isEqualTo("B");
        assertThat(directory.bankOf("zz")).isNull();
        assertThat(directory.size()).isEqualTo(3);
    }

    @Test
    void splitsATransferAcrossBanksIntoOneBranchEach() {
        Posting debit = new Posting("a1", -5);
        Posting credit = new Posting("b1", 5);
        assertThat(directory.route(List.of(debit, credit)))
                .containsExactly(new Branch("A", List.of(debit)), new Branch("B", List.of(credit)));
    }

    @Test
    void keepsATransferWithinOneBankInOneBranch() {
        List<Posting> postings = List.of(new Posting("a1", -5), new Posting("a2", 5));
        assertThat(directory.route(postings)).containsExactly(new Branch("A", postings));
    }

    @Test
    void groupsManyPostingsByBankInOrderOfFirstAppearance() {
        Posting p1 = new Posting("b1", -3);
        Posting p2 = new Posting("a1", 1);
        Posting p3 = new Posting("a2", 2);
        assertThat(directory.route(List.of(p1, p2, p3)))
                .containsExactly(new Branch("B", List.of(p1)), new Branch("A", List.of(p2, p3)));
    }

    @Test
    void routesNothingWhenAnAccountBelongsToNoBank() {
        assertThat(directory.route(List.of(new Posting("a1", -5), new Posting("zz", 5))))
                .isNull();
        assertThat(directory.route(List.of(new Posting("a1", -5), new Posting("a2", 2), new Posting("zz", 3))))
                .isNull();
    }

    @Test
    void refusesAnAccountHeldByTwoBanks() {
        assertThatThrownBy(() -> AccountDirectory.of(banks(
                        MemoryBankAdapter.inMemory("A", Map.of("shared", 1L)),
                        MemoryBankAdapter.inMemory("B", Map.of("shared", 1L)))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shared");
    }
}
