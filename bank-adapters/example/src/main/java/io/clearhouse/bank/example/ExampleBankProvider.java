package io.clearhouse.bank.example;

import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankAdapterProvider;
import io.clearhouse.spi.BankConfig;
import io.clearhouse.spi.BankException;
import java.nio.file.Path;

/**
 * Opens example banks, type {@code example}. Settings: {@code file} (required), the path of the file that holds the
 * bank, created with the bank's opening balances on the first open; {@code finished-xids-max} (default 1,000), how many
 * finished branches the bank remembers, so that a repeated commit or a prepare that arrives after its rollback gets
 * the contract's answer. Each bank needs a file of its own, used by one process at a time.
 */
public final class ExampleBankProvider implements BankAdapterProvider {
    public static final String TYPE = "example";
    public static final String FILE = "file";
    public static final String FINISHED_XIDS_MAX = "finished-xids-max";
    public static final int FINISHED_XIDS_MAX_DEFAULT = 1_000;

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public BankAdapter open(BankConfig config) {
        String file = config.setting(FILE)
                .orElseThrow(() -> new BankException(config.bankId(), "setting " + FILE + " is required"));
        int finishedXidsMax =
                (int) config.integerSetting(FINISHED_XIDS_MAX, FINISHED_XIDS_MAX_DEFAULT, 1, Integer.MAX_VALUE);
        return ExampleBankAdapter.open(
                config.bankId(), config.initialBalances(), new BankFile(Path.of(file)), finishedXidsMax);
    }
}
