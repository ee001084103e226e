package io.clearhouse.core.simulation;

import io.clearhouse.core.directory.AccountDirectory;
import java.util.Map;

/**
 * What every coordinator node of a run shares: the clock, the network, the banks and the directory of their
 * accounts, and the tally of what the nodes did.
 */
record SimulatedWorld(
        Scheduler scheduler,
        Network network,
        Map<String, SimulatedBank> banks,
        AccountDirectory directory,
        Tally tally) {
    SimulatedWorld(Scheduler scheduler, Network network, Map<String, SimulatedBank> banks) {
        this(scheduler, network, banks, AccountDirectory.of(banks), new Tally());
    }

    boolean allBanksUp() {
        return banks.values().stream().allMatch(SimulatedBank::isUp);
    }
}
