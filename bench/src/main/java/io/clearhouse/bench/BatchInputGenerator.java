package io.clearhouse.bench;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.clearhouse.api.batch.BatchFileParser;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes an initial-state file and a transactions file for the {@code batch} command, the same bytes for the same
 * settings and seed, so that every figure in {@code docs/benchmarks.md} can be reproduced.
 *
 * <p>Bank ids are {@code "1"} to {@code "N"}; the accounts of bank {@code b} are {@code "b-0"}, {@code "b-1"}, ....
 * Transfers pick source and destination uniformly over all accounts, so with many banks nearly every transfer is
 * cross-bank. Balances are drawn up to twice the mean, so a few transfers abort for insufficient funds. A small share
 * of lines is refused by design (bad format, duplicate id, bad amount, same account, unknown account) to exercise the
 * refusal paths at their natural rate. With hot accounts, a share of transfers has one of a few accounts at one end,
 * so that long chains of transfers wait on each other as they do on a bank's busiest accounts.
 */
public final class BatchInputGenerator {
    static final String STATE_FILE = "state.json";
    static final String TRANSACTIONS_FILE = "transactions.csv";

    private final GeneratorSettings settings;
    private final SplittableRandom random;

    BatchInputGenerator(GeneratorSettings settings) {
        this.settings = settings;
        this.random = new SplittableRandom(settings.seed());
    }

    public static void main(String[] args) {
        Arguments arguments = Arguments.parse(args, GeneratorSettings.DEFAULTS);
        GeneratorSettings settings = GeneratorSettings.from(arguments);
        GeneratedInput input = generate(settings, arguments.path("out"));
        System.out.println("generated " + input + " with " + arguments.describe());
    }

    /** Writes {@value #STATE_FILE} and {@value #TRANSACTIONS_FILE} into {@code directory}, creating it. */
    public static GeneratedInput generate(GeneratorSettings settings, Path directory) {
        try {
            Files.createDirectories(directory);
            BatchInputGenerator generator = new BatchInputGenerator(settings);
            Path state = directory.resolve(STATE_FILE);
            Path transactions = directory.resolve(TRANSACTIONS_FILE);
            long totalMoney = generator.writeState(state);
            generator.writeTransactions(transactions);
            return new GeneratedInput(state, transactions, settings.banks(), settings.transfers(), totalMoney);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write batch input under " + directory, e);
        }
    }

    /** The account id of the {@code index}-th account over all banks, in bank order. */
    String account(long index) {
        long bank = index / settings.accountsPerBank() + 1;
        return bank + "-" + index % settings.accountsPerBank();
    }

    private long hotAccount(int hotIndex, long accounts) {
        return hotIndex * (accounts / settings.hotAccounts());
    }

    private long writeState(Path file) throws IOException {
        long total = 0;
        try (JsonGenerator json = new JsonFactory().createGenerator(file.toFile(), JsonEncoding.UTF8)) {
            json.writeStartObject();
            for (int bank = 1; bank <= settings.banks(); bank++) {
                json.writeObjectFieldStart(Integer.toString(bank));
                for (int account = 0; account < settings.accountsPerBank(); account++) {
                    long balance = random.nextLong(2 * settings.meanBalance() + 1);
                    json.writeNumberField(bank + "-" + account, balance);
                    total = Math.addExact(total, balance);
                }
                json.writeEndObject();
            }
            json.writeEndObject();
        }
        return total;
    }

    private void writeTransactions(Path file) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(BatchFileParser.HEADER);
            out.newLine();
            for (int line = 0; line < settings.transfers(); line++) {
                out.write(nextLine(line));
                out.newLine();
            }
        }
    }

    private String nextLine(int line) {
        String id = "t" + line;
        if (line > 0 && random.nextInt(1000) < settings.refusedPerMille()) {
            return refusedLine(id, line);
        }
        long accounts = (long) settings.banks() * settings.accountsPerBank();
        long from = random.nextLong(accounts);
        long to = (from + 1 + random.nextLong(accounts - 1)) % accounts;
        if (settings.hotPerMille() > 0 && random.nextInt(1000) < settings.hotPerMille()) {
            long hot = hotAccount(random.nextInt(settings.hotAccounts()), accounts);
            if (hot != from && hot != to) {
                if (random.nextBoolean()) {
                    from = hot;
                } else {
                    to = hot;
                }
            }
        }
        long amount = 1 + random.nextLong(settings.amountMax());
        return id + "," + account(from) + "," + account(to) + "," + amount;
    }

    /** One line of each refusal kind in turn, keyed on the line number so the mix is even. */
    private String refusedLine(String id, int line) {
        String someAccount = account(random.nextLong(settings.accountsPerBank()));
        return switch (line % 5) {
            case 0 -> id + "," + someAccount + ",1-0";
            case 1 -> "t" + random.nextInt(line) + "," + someAccount + ",1-0,10";
            case 2 -> id + "," + someAccount + ",1-0,-10";
            case 3 -> id + "," + someAccount + "," + someAccount + ",10";
            default -> id + "," + someAccount + ",nobody,10";
        };
    }
}
