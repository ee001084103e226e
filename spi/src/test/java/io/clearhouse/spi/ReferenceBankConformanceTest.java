package io.clearhouse.spi;

import java.util.Map;

/** Runs the conformance kit against {@link ReferenceBankAdapter}, so that a mistake in the kit shows in its build. */
class ReferenceBankConformanceTest extends DurableBankAdapterContract {
    private final ReferenceBankAdapter.Storage storage = new ReferenceBankAdapter.Storage();

    @Override
    protected BankAdapter open(String bankId, Map<String, Long> initialBalances) {
        return new ReferenceBankAdapter(bankId, initialBalances, storage);
    }

    @Override
    protected BankAdapter reopen(String bankId, Map<String, Long> initialBalances) {
        return new ReferenceBankAdapter(bankId, initialBalances, storage);
    }
}
