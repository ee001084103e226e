package io.clearhouse.bench;

import java.nio.file.Path;

/**
 * The files {@link BatchInputGenerator} wrote.
 *
 * @param state the initial-state JSON
 * @param transactions the transactions CSV
 * @param banks how many banks the state holds
 * @param lines transaction lines, header excluded
 * @param totalMoney the sum of all initial balances, which every run must conserve
 */
public record GeneratedInput(Path state, Path transactions, int banks, int lines, long totalMoney) {}
