package io.clearhouse.web.security;

import io.clearhouse.auth.Role;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The role each request of the API needs, by method and path prefix. A path that no rule names needs {@code
 * operator}: a resource added without a rule is closed, not open.
 */
public final class AccessRules {
    /** Methods that only read; HEAD is GET without the body. */
    private static final Set<String> READS = Set.of("GET", "HEAD");

    private static final Set<String> ANY_METHOD = Set.of();

    /** @param methods the methods it covers, or {@link #ANY_METHOD} */
    record Rule(Set<String> methods, String pathPrefix, Role role) {
        boolean covers(String method, String path) {
            return (methods.isEmpty() || methods.contains(method))
                    && (path.equals(pathPrefix) || path.startsWith(pathPrefix + "/"));
        }
    }

    static final List<Rule> RULES = List.of(
            new Rule(Set.of("POST"), "/api/transfers", Role.TRANSFER),
            new Rule(Set.of("POST"), "/api/transactions", Role.TRANSFER),
            new Rule(Set.of("POST"), "/api/batches", Role.TRANSFER),
            new Rule(READS, "/api/transfers", Role.READ),
            new Rule(READS, "/api/transactions", Role.READ),
            new Rule(READS, "/api/accounts", Role.READ),
            new Rule(READS, "/api/state", Role.READ),
            new Rule(ANY_METHOD, "/api/recovery", Role.OPERATOR),
            new Rule(ANY_METHOD, "/api/audit", Role.OPERATOR),
            new Rule(ANY_METHOD, "/api/cluster", Role.OPERATOR),
            new Rule(ANY_METHOD, "/api/console", Role.OPERATOR));

    private AccessRules() {}

    /**
     * The role a request needs.
     *
     * @param path the request's decoded path from the server's root, such as {@code /api/transfers/t-1}
     */
    public static Role required(String method, String path) {
        return rule(method, path).map(Rule::role).orElse(Role.OPERATOR);
    }

    /**
     * The rule that names the request, if one does. A path with a dot segment names none, so that {@code
     * /api/state/../recovery} cannot borrow the rule of {@code /api/state}.
     */
    static Optional<Rule> rule(String method, String path) {
        if (List.of(path.split("/")).stream().anyMatch(segment -> segment.equals("..") || segment.equals("."))) {
            return Optional.empty();
        }
        String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return RULES.stream().filter(rule -> rule.covers(method, trimmed)).findFirst();
    }
}
