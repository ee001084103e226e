package io.clearhouse.cli;

import java.util.Collections;
import java.util.Map;

/**
 * The banks of a batch and their accounts' opening balances, both in file order.
 *
 * @param banks from bank id to the bank's accounts and balances
 */
record InitialState(Map<String, Map<String, Long>> banks) {
    InitialState {
        banks = Collections.unmodifiableMap(banks);
    }
}
