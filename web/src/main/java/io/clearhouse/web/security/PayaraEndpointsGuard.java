package io.clearhouse.web.security;

import io.clearhouse.auth.Role;
import jakarta.inject.Inject;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Puts {@link PayaraEndpointsFilter} in front of Payara's {@code /metrics} and {@code /openapi} when {@value
 * PayaraEndpointsSetting#ROLE} names a role. Payara Micro adds its metrics and OpenAPI servlets to the application
 * deployed at context root {@code /}, before the application's listeners run (docs/platform-notes.md), so the filter
 * is mapped to those servlets by name: every request Payara's servlets answer passes it, whatever path reached them.
 * Deployed elsewhere, the WAR does not hold those servlets and cannot guard them, so it refuses to start rather than
 * leave open what the setting closes; a bad value of the setting refuses the start too.
 */
@WebListener
public class PayaraEndpointsGuard implements ServletContextListener {
    private static final Logger LOG = Logger.getLogger(PayaraEndpointsGuard.class.getName());
    /** The names Payara Micro 6 gives its servlets, by the path where it serves them unless configured otherwise. */
    static final Map<String, String> PAYARA_SERVLETS =
            Map.of("microprofile-metrics-resource", "/metrics/*", "microprofile-openapi-servlet", "/openapi/*");

    @Inject
    Authentication authentication;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        Config config = ConfigProvider.getConfig();
        Optional<Role> role = PayaraEndpointsSetting.read(key -> config.getOptionalValue(key, String.class));
        if (role.isEmpty()) {
            LOG.info("/metrics and /openapi are open to anyone who reaches the port, as " + PayaraEndpointsSetting.ROLE
                    + " names no role");
            return;
        }
        guard(event.getServletContext(), role.get());
    }

    private void guard(ServletContext context, Role role) {
        if (!context.getContextPath().isEmpty()) {
            throw new IllegalStateException(PayaraEndpointsSetting.ROLE + "=" + role.claimName()
                    + " needs the application at context root /, where Payara Micro serves /metrics and /openapi"
                    + " through it; it is at " + context.getContextPath());
        }
        FilterRegistration.Dynamic filter = context.addFilter(
                PayaraEndpointsFilter.class.getSimpleName(), new PayaraEndpointsFilter(authentication, role));
        EnumSet<DispatcherType> dispatches =
                EnumSet.of(DispatcherType.REQUEST, DispatcherType.FORWARD, DispatcherType.INCLUDE);
        PAYARA_SERVLETS.forEach((name, path) -> {
            // A filter mapped twice runs twice in Payara's chain, so each servlet is guarded one way: by name, or,
            // should a later Payara name it otherwise, by its default path, which guards whatever answers there.
            if (context.getServletRegistration(name) != null) {
                filter.addMappingForServletNames(dispatches, false, name);
            } else {
                filter.addMappingForUrlPatterns(dispatches, false, path);
            }
        });
        if (authentication.verifier().isEmpty()) {
            LOG.severe("/metrics and /openapi need a token with the role '" + role.claimName()
                    + "' but no key can verify tokens, so every request to them is refused: "
                    + authentication.missingKeyProblem());
        } else {
            LOG.info("/metrics and /openapi need a bearer token with the role '" + role.claimName() + "'");
        }
    }
}
