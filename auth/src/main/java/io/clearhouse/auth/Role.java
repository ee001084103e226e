package io.clearhouse.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** What a token allows: moving money, reading outcomes and balances, or operating the coordinator. */
public enum Role {
    TRANSFER,
    READ,
    OPERATOR;

    /** The name in a token's {@code groups} claim and on the command line. */
    public String claimName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> fromClaimName(String name) {
        return Arrays.stream(values())
                .filter(role -> role.claimName().equals(name))
                .findFirst();
    }

    /** The claim names, comma-separated, for messages. */
    public static String claimNames() {
        return Arrays.stream(values()).map(Role::claimName).collect(Collectors.joining(", "));
    }
}
