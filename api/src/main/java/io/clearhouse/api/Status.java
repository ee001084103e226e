package io.clearhouse.api;

import java.util.Locale;

/** The final state of a transaction as a client sees it. */
public enum Status {
    COMMITTED,
    ABORTED;

    /** The lower-case spelling used in JSON documents ({@code "committed"}, {@code "aborted"}). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
