package io.clearhouse.cli;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** Where the banks that {@code serve} makes from a state keep their ledgers: the values of {@code --demo-banks}. */
enum DemoBankKind {
    /** Memory banks sharing one write-ahead log in the data directory. */
    MEMORY("memory"),
    /** jdbc banks in mode escrow, each in a database of its own in serve's PostgreSQL. */
    JDBC("jdbc"),
    /** jdbc banks in mode xa: a prepared branch is a prepared transaction of the bank's database. */
    JDBC_XA("jdbc-xa");

    private final String optionValue;

    DemoBankKind(String optionValue) {
        this.optionValue = optionValue;
    }

    String optionValue() {
        return optionValue;
    }

    static Optional<DemoBankKind> fromOption(String text) {
        return Arrays.stream(values())
                .filter(kind -> kind.optionValue.equals(text))
                .findFirst();
    }

    /** The accepted values, as a refusal lists them. */
    static String optionValues() {
        return Arrays.stream(values()).map(DemoBankKind::optionValue).collect(Collectors.joining(", "));
    }
}
