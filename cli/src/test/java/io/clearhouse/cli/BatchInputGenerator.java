package io.clearhouse.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Writes a STATE.json and a TX.csv of any size for benchmarks and crash tests, from a seed. Most transfers are
 * valid and cross banks; a few are refused by the format, name unknown accounts or run out of funds.
 *
 * <p>Usage: {@code BatchInputGenerator DIR BANKS ACCOUNTS_PER_BANK TRANSFERS SEED}, writing {@code DIR/state.json}
 * and {@code DIR/transactions.csv}.
 */
public final class BatchInputGenerator {
    private final int banks;
    private final int accountsPerBank;
    private final Random random;

    BatchInputGenerator(int banks, int accountsPerBank, long seed) {
        this.banks = banks;
        this.accountsPerBank = accountsPerBank;
        this.random = new Random(seed);
    }

    public static void main(String[] args) throws IOException {
        Path directory = Path.of(args[0]);
        BatchInputGenerator generator =
                new BatchInputGenerator(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Long.parseLong(args[4]));
        Files.createDirectories(directory);
        generator.writeState(directory.resolve("state.json"));
        generator.writeTransactions(directory.resolve("transactions.csv"), Integer.parseInt(args[3]));
    }

    static String account(int bank, int index) {
        return "b" + bank + "-" + index;
    }

    void writeState(Path file) throws IOException {
        try (JsonGenerator json = new JsonFactory().createGenerator(file.toFile(), JsonEncoding.UTF8)) {
            json.writeStartObject();
            for (int bank = 1; bank <= banks; bank++) {
                json.writeObjectFieldStart(String.valueOf(bank));
                for (int index = 0; index < accountsPerBank; index++) {
                    json.writeNumberField(account(bank, index), random.nextInt(5_000));
                }
                json.writeEndObject();
            }
            json.writeEndObject();
        }
    }

    void writeTransactions(Path file, int transfers) throws IOException {
        try (Writer out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16)) {
            out.write("transaction_id,source_account,destination_account,amount\n");
            for (int line = 0; line < transfers; line++) {
                out.write(transferLine(line));
                out.write('\n');
            }
        }
    }

    private String transferLine(int line) {
        String from = randomAccount();
        String to = randomAccount();
        int roll = random.nextInt(1_000);
        if (roll == 0) {
            return "tx" + line + "," + from + "," + to + ",-5";
        }
        if (roll == 1) {
            to = "unknown-" + line;
        }
        return "tx" + line + "," + from + "," + to + "," + (1 + random.nextInt(1_000));
    }

    private String randomAccount() {
        return account(1 + random.nextInt(banks), random.nextInt(accountsPerBank));
    }
}
