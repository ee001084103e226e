package io.clearhouse.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;

/** Signs claims into a compact JSON Web Token with RS256, the algorithm MicroProfile JWT requires verifiers to know. */
public final class TokenWriter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final PrivateKey key;

    public TokenWriter(PrivateKey key) {
        this.key = key;
    }

    public String write(TokenClaims claims) {
        ObjectNode header =
                JSON.createObjectNode().put("alg", TokenVerifier.ALGORITHM).put("typ", "JWT");
        ObjectNode body = JSON.createObjectNode()
                .put("iss", claims.issuer())
                .put("sub", claims.subject())
                .put("upn", claims.subject())
                .put("iat", claims.issuedAt().getEpochSecond())
                .put("exp", claims.expiresAt().getEpochSecond())
                .put("jti", claims.id());
        ArrayNode groups = body.putArray("groups");
        claims.roles().stream().sorted().map(Role::claimName).forEach(groups::add);
        String signed = encode(header) + "." + encode(body);
        return signed + "." + BASE64URL.encodeToString(sign(signed));
    }

    private static String encode(ObjectNode part) {
        return BASE64URL.encodeToString(part.toString().getBytes(StandardCharsets.UTF_8));
    }

    private byte[] sign(String signed) {
        try {
            Signature signature = Signature.getInstance(TokenVerifier.SIGNATURE_ALGORITHM);
            signature.initSign(key);
            signature.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the key " + key.getAlgorithm(), e);
        }
    }
}
