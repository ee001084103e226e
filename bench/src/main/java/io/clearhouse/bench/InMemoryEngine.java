package io.clearhouse.bench;

import io.clearhouse.bank.memory.MemoryBankAdapter;
import io.clearhouse.core.Coordinator;
import io.clearhouse.core.engine.CoordinatorOptions;
import io.clearhouse.core.engine.EmbeddedCoordinator;
import io.clearhouse.core.log.InMemoryDecisionLog;
import io.clearhouse.spi.BankAdapter;
import java.util.LinkedHashMap;
import java.util.Map;

/** In-memory banks and a coordinator with a discarding decision log, as a plain {@code batch} run uses them. */
final class InMemoryEngine implements AutoCloseable {
    /** The prepare timeout the {@code batch} command sets; in-memory banks vote inline, so it should never fire. */
    private static final long PREPARE_TIMEOUT_MILLIS = 120_000;

    private final Map<String, BankAdapter> banksById;
    private final Coordinator coordinator;

    private InMemoryEngine(Map<String, BankAdapter> banksById, Coordinator coordinator) {
        this.banksById = banksById;
        this.coordinator = coordinator;
    }

    /**
     * Opens the engine as the {@code batch} command does for a run without a data directory.
     *
     * @param transfers transfers the batch will submit; the coordinator sizes its table of ids for them
     */
    static InMemoryEngine open(BatchState state, int transfers) {
        Map<String, BankAdapter> banksById = new LinkedHashMap<>();
        state.balancesByBank()
                .forEach((bankId, balances) -> banksById.put(bankId, MemoryBankAdapter.inMemory(bankId, balances)));
        CoordinatorOptions options = CoordinatorOptions.defaults()
                .withPrepareTimeoutMillis(PREPARE_TIMEOUT_MILLIS)
                .withTransactionIdsExpected(Math.min(transfers, CoordinatorOptions.TRANSACTION_IDS_EXPECTED_MAX));
        Coordinator coordinator = EmbeddedCoordinator.open(options, banksById, InMemoryDecisionLog.discarding());
        return new InMemoryEngine(banksById, coordinator);
    }

    Coordinator coordinator() {
        return coordinator;
    }

    /** @throws IllegalStateException when the posted balances no longer add up to {@code totalMoney} */
    void checkMoneyConserved(long totalMoney) {
        BankInvariants.checkMoneyConserved(banksById.values(), totalMoney);
    }

    @Override
    public void close() {
        coordinator.close();
        banksById.values().forEach(BankAdapter::close);
    }
}
