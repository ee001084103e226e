package io.clearhouse.xa;

import io.clearhouse.bank.memory.MemoryBankProvider;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankConfig;
import java.nio.file.Path;
import java.util.Map;

/**
 * The two banks of the crash test, each a memory bank with a forced write-ahead log of its own under one directory,
 * so that the process that is killed and the ones after it open the same banks.
 */
final class DurableBanks {
    static final String BANK_A = "bank-a";
    static final String BANK_B = "bank-b";
    static final String ACCOUNT_A = "a-1";
    static final String ACCOUNT_B = "b-1";
    static final long OPENING_BALANCE = 1_000;

    private DurableBanks() {}

    /**
     * Opens one of the banks. A commit is acknowledged only once it is forced ({@code phase-two-durable}): Narayana
     * forgets a transaction as soon as its commits return, so a commit lost in a crash could never be redone.
     */
    static BankAdapter open(Path directory, String bankId, String account) {
        Map<String, String> settings = Map.of(
                MemoryBankProvider.DIRECTORY, directory.resolve(bankId).toString(),
                MemoryBankProvider.FSYNC, "true",
                MemoryBankProvider.PHASE_TWO_DURABLE, "true");
        return new MemoryBankProvider().open(new BankConfig(bankId, Map.of(account, OPENING_BALANCE), settings));
    }

    static BankAdapter openA(Path directory) {
        return open(directory, BANK_A, ACCOUNT_A);
    }

    static BankAdapter openB(Path directory) {
        return open(directory, BANK_B, ACCOUNT_B);
    }
}
