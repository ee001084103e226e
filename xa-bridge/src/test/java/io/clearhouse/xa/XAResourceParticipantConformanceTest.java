package io.clearhouse.xa;

import io.clearhouse.bank.memory.MemoryBankAdapter;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankAdapterContract;
import java.util.Map;

/**
 * The conformance kit, unchanged, against a bank reached through both directions of the bridge: Clearhouse's calls
 * go through {@link XAResourceParticipant} to an XA resource manager, which is a memory bank behind a {@link
 * ParticipantXAResource}. Every call crosses XA and back, so both mappings and both adapters keep the SPI's contract.
 */
class XAResourceParticipantConformanceTest extends BankAdapterContract {
    @Override
    protected BankAdapter open(String bankId, Map<String, Long> initialBalances) {
        return new XAResourceParticipant(
                bankId, new BankAsXaResourceManager(MemoryBankAdapter.inMemory(bankId, initialBalances)));
    }
}
