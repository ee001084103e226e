package io.clearhouse.web.security;

import io.clearhouse.auth.SigningKeys;
import io.clearhouse.auth.TokenClaims;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Optional;
import java.util.function.Function;

/**
 * Whether the API checks tokens, and with which key and issuer, read from MicroProfile Config under the keys
 * MicroProfile JWT defines. Tokens are checked when a key is configured or {@code clearhouse.auth.required} is true;
 * required with no usable key, every request is refused rather than the API left open.
 *
 * @param key the public key tokens must be signed with; empty when none is configured or it cannot be read
 * @param issuer the {@code iss} tokens must carry
 * @param enforced whether requests to the API need a token
 * @param keyProblem why a configured key could not be used, empty when there is none
 */
public record AuthenticationSettings(
        Optional<PublicKey> key, String issuer, boolean enforced, Optional<String> keyProblem) {
    public static final String PUBLIC_KEY = "mp.jwt.verify.publickey";
    public static final String PUBLIC_KEY_LOCATION = "mp.jwt.verify.publickey.location";
    public static final String ISSUER = "mp.jwt.verify.issuer";
    public static final String REQUIRED = "clearhouse.auth.required";
    /** Keys bigger than this are not PEM public keys; the limit keeps a wrong file from being read whole. */
    static final long KEY_FILE_BYTES_MAX = 64 * 1024;

    public static AuthenticationSettings read(Function<String, Optional<String>> lookup) {
        String issuer = lookup.apply(ISSUER).orElse(TokenClaims.DEFAULT_ISSUER);
        boolean required =
                Boolean.parseBoolean(lookup.apply(REQUIRED).orElse("false").strip());
        Optional<String> text = lookup.apply(PUBLIC_KEY).filter(value -> !value.isBlank());
        Optional<String> location = lookup.apply(PUBLIC_KEY_LOCATION).filter(value -> !value.isBlank());
        if (text.isEmpty() && location.isEmpty()) {
            return new AuthenticationSettings(Optional.empty(), issuer, required, Optional.empty());
        }
        try {
            String pem =
                    text.isPresent() ? text.get() : readLocation(location.get().strip());
            return new AuthenticationSettings(
                    Optional.of(SigningKeys.parsePublicKey(pem)), issuer, true, Optional.empty());
        } catch (IOException | IllegalArgumentException e) {
            String source = text.isPresent() ? PUBLIC_KEY : PUBLIC_KEY_LOCATION + " " + location.get();
            return new AuthenticationSettings(
                    Optional.empty(), issuer, true, Optional.of(source + ": " + e.getMessage()));
        }
    }

    /** A file path, or a {@code file:} URL as MicroProfile JWT writes locations. */
    private static String readLocation(String location) throws IOException {
        Path file = location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
        if (Files.size(file) > KEY_FILE_BYTES_MAX) {
            throw new IOException("larger than " + KEY_FILE_BYTES_MAX + " bytes");
        }
        return Files.readString(file);
    }
}
