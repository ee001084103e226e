package io.clearhouse.bench.floor;

import java.nio.charset.StandardCharsets;

/**
 * What a line came to, with the end of its result object as bytes, written half a million times. The reasons, their
 * spelling and their order of precedence are those of docs/batch.md.
 */
enum Outcome {
    COMMITTED("\"status\":\"committed\"}"),
    INVALID_FORMAT(aborted("INVALID_FORMAT")),
    DUPLICATE_ID(aborted("DUPLICATE_ID")),
    INVALID_AMOUNT(aborted("INVALID_AMOUNT")),
    SAME_ACCOUNT(aborted("SAME_ACCOUNT")),
    UNKNOWN_ACCOUNT(aborted("UNKNOWN_ACCOUNT")),
    INSUFFICIENT_FUNDS(aborted("INSUFFICIENT_FUNDS")),
    BALANCE_OVERFLOW(aborted("BALANCE_OVERFLOW"));

    private final byte[] resultEnd;

    Outcome(String resultEnd) {
        this.resultEnd = resultEnd.getBytes(StandardCharsets.US_ASCII);
    }

    private static String aborted(String reason) {
        return "\"status\":\"aborted\",\"reason\":\"" + reason + "\"}";
    }

    byte[] resultEnd() {
        return resultEnd;
    }
}
