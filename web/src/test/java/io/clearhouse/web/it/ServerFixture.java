package io.clearhouse.web.it;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The banks every in-container test runs against, and the branches left in doubt before the server first starts.
 * Tests share one server, so each test uses accounts of its own and checks what it moved, not absolute totals of
 * accounts another test touches.
 */
final class ServerFixture {
    static final long OPENING_BALANCE = 1_000_000;

    /** Accounts of the recovery scenario: nothing but start-up recovery moves them. */
    static final String RECOVERED_DEBIT = "recovery-debit";

    static final String RECOVERED_CREDIT = "recovery-credit";
    static final String ROLLED_BACK_DEBIT = "recovery-rolled-back";
    static final String SEEDED_COMMIT_ID = "seeded-commit";
    static final long SEEDED_AMOUNT = 250;

    static final List<String> BANK_IDS = List.of("1", "2", "3");

    private ServerFixture() {}

    /** Bank id to its accounts: {@code <prefix>-<bank>-<n>} for tests, plus the recovery scenario's accounts. */
    static Map<String, Map<String, Long>> banks() {
        Map<String, Map<String, Long>> banks = new LinkedHashMap<>();
        for (String bankId : BANK_IDS) {
            Map<String, Long> accounts = new LinkedHashMap<>();
            for (int n = 0; n < 40; n++) {
                accounts.put(account(bankId, n), OPENING_BALANCE);
            }
            banks.put(bankId, accounts);
        }
        banks.get("1").put(RECOVERED_DEBIT, OPENING_BALANCE);
        banks.get("1").put(ROLLED_BACK_DEBIT, OPENING_BALANCE);
        banks.get("2").put(RECOVERED_CREDIT, OPENING_BALANCE);
        return banks;
    }

    static String account(String bankId, int n) {
        return "acct-" + bankId + "-" + n;
    }
}
