package io.clearhouse.cli;

import io.clearhouse.postgres.PostgresDatabase;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One database per jdbc demo bank, on the server of the decision log, made at the first start and found again at the
 * next. A database is named after its bank, never after the bank's place in the state, so that a bank keeps its
 * ledger when the state gains or loses banks: {@code clearhouse_bank_} and the id when the id is at most 47 lower-case
 * letters, digits and underscores (PostgreSQL's names end at 63 bytes), else {@code clearhouse_bank_x} and the first
 * 16 hexadecimal digits of the id's SHA-256. Should two ids still meet on one name, the jdbc adapter refuses the second
 * bank on the first one's ledger instead of mixing them.
 */
final class DemoBankDatabases {
    static final String PREFIX = "clearhouse_bank_";

    private static final Pattern PLAIN_ID = Pattern.compile("[a-z0-9_]{1,47}");
    private static final int HASH_HEX_DIGITS = 16;

    private DemoBankDatabases() {}

    /** The database of each bank of {@code bankIds}, in their order, created where missing. */
    static Map<String, PostgresDatabase> createIfMissing(PostgresDatabase server, Set<String> bankIds) {
        Map<String, PostgresDatabase> databases = new LinkedHashMap<>();
        for (String bankId : bankIds) {
            databases.put(bankId, server.createIfMissing(nameOf(bankId)));
        }
        return databases;
    }

    static String nameOf(String bankId) {
        if (PLAIN_ID.matcher(bankId).matches()) {
            return PREFIX + bankId;
        }
        return PREFIX + "x" + HexFormat.of().formatHex(sha256(bankId)).substring(0, HASH_HEX_DIGITS);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
