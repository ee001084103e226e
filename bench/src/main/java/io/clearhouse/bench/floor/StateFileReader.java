package io.clearhouse.bench.floor;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads STATE.json into a {@link Ledger} with the checks of docs/batch.md: an object from bank id to an object from
 * account id to a JSON integer in 0..2^63-1, no repeated key, no account in two banks, nothing after the object.
 * Jackson's streaming parser does the JSON, as it would in any plain Java program that reads JSON, without keeping
 * every field name it meets in its symbol table: account ids are field names, and a million of them interned cost
 * seconds that a competent plain program would not spend.
 */
final class StateFileReader {
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .build();

    private final Path path;
    private final Map<String, Integer> slots = new HashMap<>();
    private final List<String> accountIds = new ArrayList<>();
    private final List<Ledger.Bank> banks = new ArrayList<>();
    private long[] balances = new long[1024];

    private StateFileReader(Path path) {
        this.path = path;
    }

    static Ledger read(Path path) throws UnusableInputException {
        try (InputStream input = Files.newInputStream(path);
                JsonParser parser = JSON.createParser(input)) {
            return new StateFileReader(path).readDocument(parser);
        } catch (JsonProcessingException e) {
            throw new UnusableInputException("initial state " + path + ": invalid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UnusableInputException("initial state " + path + ": cannot be read: " + e, e);
        }
    }

    private Ledger readDocument(JsonParser parser) throws IOException, UnusableInputException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw problem("the top level is not an object from bank id to accounts");
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String bankId = parser.currentName();
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw problem("bank \"" + bankId + "\" is not an object from account id to balance");
            }
            int before = accountIds.size();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String account = parser.currentName();
                parser.nextToken();
                addAccount(bankId, account, balance(parser, account));
            }
            banks.add(new Ledger.Bank(bankId, accountIds.size() - before));
        }
        if (parser.nextToken() != null) {
            throw problem("content follows the top-level object");
        }
        return new Ledger(slots, Arrays.copyOf(balances, accountIds.size()), accountIds.toArray(String[]::new), banks);
    }

    private long balance(JsonParser parser, String account) throws IOException, UnusableInputException {
        if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT
                || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                || parser.getLongValue() < 0) {
            throw problem("account \"" + account + "\" has a balance outside 0..2^63-1 or not an integer: "
                    + parser.getText());
        }
        return parser.getLongValue();
    }

    private void addAccount(String bankId, String account, long balance) throws UnusableInputException {
        int slot = accountIds.size();
        if (slots.putIfAbsent(account, slot) != null) {
            throw problem("account \"" + account + "\" is in two banks (the second is \"" + bankId + "\")");
        }
        if (slot == balances.length) {
            balances = Arrays.copyOf(balances, slot * 2);
        }
        balances[slot] = balance;
        accountIds.add(account);
    }

    private UnusableInputException problem(String text) {
        return new UnusableInputException("initial state " + path + ": " + text);
    }
}
