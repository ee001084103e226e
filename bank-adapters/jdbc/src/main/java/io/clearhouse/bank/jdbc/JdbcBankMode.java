package io.clearhouse.bank.jdbc;

import java.util.Locale;
import java.util.Optional;

/** How a jdbc bank makes a prepared branch durable; the setting {@code mode}. */
public enum JdbcBankMode {
    /** The holds are committed by a local transaction; commit posts them and rollback releases them. */
    ESCROW,
    /** The holds are committed as in escrow, and the branch is an XA branch prepared with PREPARE TRANSACTION. */
    XA;

    /** The name the banks file uses. */
    public String settingValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<JdbcBankMode> fromSetting(String text) {
        for (JdbcBankMode mode : values()) {
            if (mode.settingValue().equals(text)) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }
}
