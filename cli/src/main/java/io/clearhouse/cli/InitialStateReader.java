package io.clearhouse.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and validates STATE.json: an object from bank id to an object from account id to a balance, a JSON integer
 * in 0..2^63-1, with every account in one bank only. Streams the tokens, so a file with a million accounts costs
 * no tree; duplicate keys are refused by the parser itself.
 */
final class InitialStateReader {
    static final String ROLE = "initial state";

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final Path path;
    private final Map<String, String> bankOfAccount = new HashMap<>();

    private InitialStateReader(Path path) {
        this.path = path;
    }

    static InitialState read(Path path) throws InputFileException {
        try (InputStream input = InputFiles.open(ROLE, path);
                JsonParser parser = JSON.createParser(input)) {
            return new InitialStateReader(path).readDocument(parser);
        } catch (JsonProcessingException e) {
            throw new InputFileException(ROLE, path, "invalid JSON: " + describe(e), e);
        } catch (IOException e) {
            throw new InputFileException(ROLE, path, "cannot be read: " + e.getMessage(), e);
        }
    }

    private static String describe(JsonProcessingException e) {
        var location = e.getLocation();
        String where =
                location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
        // Jackson names the source inside its messages even when it withholds it; the file is named already.
        String message = e.getOriginalMessage().replaceAll("\\[Source: .*?; line:", "[line:");
        return message + where;
    }

    private InitialState readDocument(JsonParser parser) throws IOException, InputFileException {
        JsonToken first = parser.nextToken();
        if (first == null) {
            throw problem("invalid JSON: the file holds no JSON value");
        }
        if (first != JsonToken.START_OBJECT) {
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
        return new InitialState(banks);
    }

    private Map<String, Long> readBank(JsonParser parser, String bankId) throws IOException, InputFileException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw problem("bank " + quoted(bankId) + " is not an object from account id to balance");
        }
        Map<String, Long> accounts = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String account = parser.currentName();
            parser.nextToken();
            accounts.put(account, readBalance(parser, bankId, account));
            String otherBank = bankOfAccount.putIfAbsent(account, bankId);
            if (otherBank != null) {
                throw problem("account " + quoted(account) + " is in two banks, " + quoted(otherBank) + " and "
                        + quoted(bankId));
            }
        }
        return accounts;
    }

    private long readBalance(JsonParser parser, String bankId, String account) throws IOException, InputFileException {
        String where = "account " + quoted(account) + " of bank " + quoted(bankId);
        if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw problem(where + " has a balance that is not an integer: " + parser.getText());
        }
        JsonParser.NumberType type = parser.getNumberType();
        if (type == JsonParser.NumberType.BIG_INTEGER) {
            String sign = parser.getBigIntegerValue().signum() < 0 ? "negative" : "above 2^63-1";
            throw problem(where + " has a balance " + sign + ": " + parser.getText());
        }
        long balance = parser.getLongValue();
        if (balance < 0) {
            throw problem(where + " has a negative balance: " + balance);
        }
        return balance;
    }

    private InputFileException problem(String text) {
        return new InputFileException(ROLE, path, text);
    }

    private static String quoted(String id) {
        return '"' + id + '"';
    }
}
