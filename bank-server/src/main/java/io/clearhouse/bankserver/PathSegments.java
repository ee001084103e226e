package io.clearhouse.bankserver;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The segments of a request path after {@code /v1}, each percent-decoded on its own, so that an account id holding a
 * slash ({@code %2F}) stays one segment. {@link java.net.URLDecoder} is not used: it decodes {@code +} as a space,
 * which is a form's rule, not a path's.
 */
final class PathSegments {
    private PathSegments() {}

    /** The segments, {@code ["v1", ...]}, or an empty list when the path is not under {@code /v1/}. */
    static List<String> of(String rawPath) {
        if (!rawPath.startsWith("/v1/")) {
            return List.of();
        }
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.substring(1).split("/", -1)) {
            segments.add(decode(raw));
        }
        return segments;
    }

    private static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length() && isHex(raw.charAt(i + 1)) && isHex(raw.charAt(i + 2))) {
                bytes.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }
}
