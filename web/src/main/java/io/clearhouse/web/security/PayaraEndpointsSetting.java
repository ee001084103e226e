package io.clearhouse.web.security;

import io.clearhouse.auth.Role;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which role Payara's {@code /metrics} and {@code /openapi} need: none by default, so that outside checks keep
 * scraping and reading them without a token, or the role {@value #ROLE} names. A value that names no role is refused
 * rather than read as none, which would leave open what the operator meant to close.
 */
public final class PayaraEndpointsSetting {
    public static final String ROLE = "clearhouse.auth.metrics-openapi-role";

    private PayaraEndpointsSetting() {}

    /**
     * @return the role the endpoints need, empty when they stay open
     * @throws IllegalArgumentException when the value is neither empty nor a role's name
     */
    public static Optional<Role> read(Function<String, Optional<String>> lookup) {
        Optional<String> value = lookup.apply(ROLE).map(String::strip).filter(text -> !text.isEmpty());
        if (value.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Role.fromClaimName(value.get())
                .orElseThrow(() -> new IllegalArgumentException(ROLE + " must be one of " + Role.claimNames()
                        + ", or empty to leave /metrics and /openapi open, not '" + value.get() + "'")));
    }
}
