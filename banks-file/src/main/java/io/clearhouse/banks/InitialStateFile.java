package io.clearhouse.banks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.clearhouse.spi.AccountBalances;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and validates STATE.json, the initial state of the batch command, {@code serve --initial-state} and the bank
 * server: an object from bank id to an object from account id to a balance, a JSON integer in 0..2^63-1, with every
 * account in one bank only.
 *
 * <pre>{@code
 * {"1": {"alice": 1000, "bob": 0}, "2": {"carol": 50}}
 * }</pre>
 *
 * Streams the tokens, so a file with a million accounts costs no tree; duplicate keys are refused by the parser
 * itself. Every refusal is one line that names the file and the bank or account, so a command can print it as it is.
 *
 * <p>Each bank's accounts are read into an {@link AccountBalances}, about 12 bytes per account beside its id, which
 * the memory bank then opens with as it is. Account names are not canonicalized: a state file's names are nearly all
 * distinct, and Jackson's symbol table would intern a million of them for nothing.
 */
public final class InitialStateFile {
    /** How messages name the file. */
    public static final String ROLE = "initial state";

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .build();

    private final Path path;
    /** Every account read so far, over all banks, each bank's a run of them. */
    private final AccountBalances.Builder accountsSeen = new AccountBalances.Builder(0);
    /** The banks read so far, in order, and the position in {@link #accountsSeen} of each one's first account. */
    private final List<String> bankIds = new ArrayList<>();

    private final List<Integer> bankStarts = new ArrayList<>();

    private InitialStateFile(Path path) {
        this.path = path;
    }

    /** A state file that cannot be used: its path and the problem, in one line. */
    public static final class UnusableException extends Exception {
        private final transient Path path;
        private final String problem;

        UnusableException(Path path, String problem, Throwable cause) {
            super(ROLE + " " + path + ": " + problem, cause);
            this.path = path;
            this.problem = problem;
        }

        public Path path() {
            return path;
        }

        /** What is wrong, without the file's name. */
        public String problem() {
            return problem;
        }
    }

    /**
     * The banks of the file at {@code path} with their accounts and balances, both in file order.
     *
     * @throws UnusableException when the file cannot be opened or read, or breaks a rule of the format
     */
    public static Map<String, Map<String, Long>> read(Path path) throws UnusableException {
        try (InputStream input = Files.newInputStream(path)) {
            return read(path, input);
        } catch (IOException e) {
            // The exception's class says what is wrong (no such file, access denied); its message names only the path.
            throw new UnusableException(path, "cannot be read: " + e, e);
        }
    }

    /**
     * The banks read from {@code input}, which a caller opened from {@code path} with messages of its own for a missing
     * file; reads to the end and closes {@code input}.
     *
     * @throws UnusableException when the input cannot be read or breaks a rule of the format
     */
    public static Map<String, Map<String, Long>> read(Path path, InputStream input) throws UnusableException {
        try (input;
                JsonParser parser = JSON.createParser(input)) {
            return new InitialStateFile(path).readDocument(parser);
        } catch (JsonProcessingException e) {
            throw new UnusableException(path, "invalid JSON: " + describe(e), e);
        } catch (IOException e) {
            throw new UnusableException(path, "cannot be read: " + e.getMessage(), e);
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

    private Map<String, Map<String, Long>> readDocument(JsonParser parser) throws IOException, UnusableException {
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
        return Collections.unmodifiableMap(banks);
    }

    private Map<String, Long> readBank(JsonParser parser, String bankId) throws IOException, UnusableException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw problem("bank " + quoted(bankId) + " is not an object from account id to balance");
        }
        bankIds.add(bankId);
        bankStarts.add(accountsSeen.size());
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String account = parser.currentName();
            parser.nextToken();
            long balance = readBalance(parser, bankId, account);
            // The parser refuses a key twice in one object, so an account already put is in an earlier bank.
            if (!accountsSeen.put(account, balance)) {
                throw problem("account " + quoted(account) + " is in two banks, "
                        + quoted(bankHolding(accountsSeen.positionOf(account))) + " and " + quoted(bankId));
            }
        }
        return accountsSeen.endRun();
    }

    /** The bank whose accounts include the one at {@code position} of {@link #accountsSeen}: the last to start there. */
    private String bankHolding(int position) {
        int bank = bankStarts.size() - 1;
        while (bankStarts.get(bank) > position) {
            bank--;
        }
        return bankIds.get(bank);
    }

    private long readBalance(JsonParser parser, String bankId, String account) throws IOException, UnusableException {
        if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw problem(where(bankId, account) + " has a balance that is not an integer: " + parser.getText());
        }
        JsonParser.NumberType type = parser.getNumberType();
        if (type == JsonParser.NumberType.BIG_INTEGER) {
            String sign = parser.getBigIntegerValue().signum() < 0 ? "negative" : "above 2^63-1";
            throw problem(where(bankId, account) + " has a balance " + sign + ": " + parser.getText());
        }
        long balance = parser.getLongValue();
        if (balance < 0) {
            throw problem(where(bankId, account) + " has a negative balance: " + balance);
        }
        return balance;
    }

    /** Made only for a refusal: a million accounts read well would otherwise make a million of these for nothing. */
    private static String where(String bankId, String account) {
        return "account " + quoted(account) + " of bank " + quoted(bankId);
    }

    private UnusableException problem(String text) {
        return new UnusableException(path, text, null);
    }

    private static String quoted(String id) {
        return '"' + id + '"';
    }
}
