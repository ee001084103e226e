package io.clearhouse.cli;

import io.clearhouse.auth.Role;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The {@code --metrics-openapi-role} option that {@code serve} and {@code cluster} share. */
final class MetricsOpenApiRoleOption {
    @Option(
            names = ServerAuth.METRICS_OPENAPI_ROLE_OPTION,
            paramLabel = "ROLE",
            description = "Makes /metrics and /openapi need a bearer token with this role (read, operator or"
                    + " transfer), as the API's own paths do; without it they stay open. /health stays open.")
    private Optional<String> value = Optional.empty();

    /**
     * The role given, empty without the option.
     *
     * @throws InputFileException when the value names no role
     */
    Optional<Role> role() throws InputFileException {
        return ServerAuth.metricsOpenApiRole(value);
    }
}
