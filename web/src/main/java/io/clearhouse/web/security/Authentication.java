package io.clearhouse.web.security;

import io.clearhouse.auth.TokenVerifier;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The API's authentication settings, read once when the application starts, and said in the server's log then: a
 * WARNING when the API is open to anyone who reaches the port, SEVERE when tokens are required but the key cannot be
 * used (every request is then refused).
 */
@ApplicationScoped
public class Authentication {
    private static final Logger LOG = Logger.getLogger(Authentication.class.getName());

    private AuthenticationSettings settings;
    private Optional<TokenVerifier> verifier;

    @PostConstruct
    void read() {
        Config config = ConfigProvider.getConfig();
        settings = AuthenticationSettings.read(key -> config.getOptionalValue(key, String.class));
        verifier = settings.key().map(key -> new TokenVerifier(key, settings.issuer(), Clock.systemUTC()));
    }

    /** Reads and logs the settings at deployment rather than at the first request. */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object started) {
        if (!settings.enforced()) {
            LOG.warning("the API is open: no token is checked, since neither " + AuthenticationSettings.PUBLIC_KEY
                    + " nor " + AuthenticationSettings.PUBLIC_KEY_LOCATION + " is set and "
                    + AuthenticationSettings.REQUIRED + " is not true (see docs/operations.md, Securing it)");
        } else if (verifier.isEmpty()) {
            LOG.severe("tokens are required but no key can verify them, so every API request is refused: "
                    + settings.keyProblem().orElse("no key is configured"));
        } else {
            LOG.info("the API requires bearer tokens of issuer '" + settings.issuer() + "'");
        }
    }

    boolean enforced() {
        return settings.enforced();
    }

    /** The verifier, empty when tokens are required but no key can check them. */
    Optional<TokenVerifier> verifier() {
        return verifier;
    }

    /** Why no verifier exists while tokens are required, for the answer to each refused request. */
    String missingKeyProblem() {
        return settings.keyProblem().orElse("the server has no key to verify tokens with");
    }
}
