package io.clearhouse.bankserver;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads STATE.json, the batch command's state format: an object from bank id to an object from account id to a
 * balance, a JSON integer in 0..2^63-1, every account in one bank only. The rules are those of the cli's reader; this
 * copy exists because the bank server must not depend on the command line that depends on it. Streams the tokens, so
 * a state of a thousand banks costs no tree.
 */
final class StateFile {
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final Path path;
    private final Map<String, String> bankOfAccount = new HashMap<>();

    private StateFile(Path path) {
        this.path = path;
    }

    /** A state file that cannot be used; the message is one line that names the file. */
    static final class UnusableException extends Exception {
        UnusableException(Path path, String problem, Throwable cause) {
            super("initial state " + path + ": " + problem, cause);
        }
    }

    /** The banks of the file with their accounts and balances, both in file order. */
    static Map<String, Map<String, Long>> read(Path path) throws UnusableException {
        try (InputStream input = Files.newInputStream(path);
                JsonParser parser = JSON.createParser(input)) {
            return new StateFile(path).readDocument(parser);
        } catch (JsonProcessingException e) {
            throw new UnusableException(path, "invalid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UnusableException(path, "cannot be read: " + e, e);
        }
    }

    private Map<String, Map<String, Long>> readDocument(JsonParser parser) throws IOException, UnusableException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw problem("the top level is not an object from bank id to accounts");
        }
        Map<String, Map<String, Long>> banks = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String bankId = parser.currentName();
            banks.put(bankId, readBank(parser, bankId));
        }
        if (parser.nextToken() != null) {
            throw problem("content follows the top-level object");
        }
        return banks;
    }

    private Map<String, Long> readBank(JsonParser parser, String bankId) throws IOException, UnusableException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw problem("bank \"" + bankId + "\" is not an object from account id to balance");
        }
        Map<String, Long> accounts = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String account = parser.currentName();
            parser.nextToken();
            accounts.put(account, readBalance(parser, bankId, account));
            String otherBank = bankOfAccount.putIfAbsent(account, bankId);
            if (otherBank != null) {
                throw problem(
                        "account \"" + account + "\" is in two banks, \"" + otherBank + "\" and \"" + bankId + "\"");
            }
        }
        return accounts;
    }

    private long readBalance(JsonParser parser, String bankId, String account) throws IOException, UnusableException {
        String where = "account \"" + account + "\" of bank \"" + bankId + "\"";
        if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT
                || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                || parser.getLongValue() < 0) {
            throw problem(where + " has a balance that is not an integer in 0..2^63-1: " + parser.getText());
        }
        return parser.getLongValue();
    }

    private UnusableException problem(String text) {
        return new UnusableException(path, text, null);
    }
}
