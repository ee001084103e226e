package io.clearhouse.ejb.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clearhouse.api.Posting;
import io.clearhouse.banks.BanksFile;
import io.clearhouse.banks.OpenBanks;
import io.clearhouse.core.engine.EmbeddedCoordinator;
import io.clearhouse.core.log.InMemoryDecisionLog;
import io.clearhouse.spi.AccountBalance;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankException;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's and the banks' limits reach them from the server's configuration the way the coordinator bean opens
 * them: keys read by {@link ServerSettings#read}, banks opened from the banks file it names.
 */
class ServerEngineSettingsTest {
    @TempDir
    Path directory;

    private final Map<String, String> values = new HashMap<>();

    private ServerSettings read() {
        return ServerSettings.read(key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void defaultsToTheEnginesOwnLimits() throws IOException {
        values.put(ServerSettings.BANKS_FILE, banksFile("{}").toString());

        assertThat(read().effective())
                .containsEntry("clearhouse.close-timeout-millis", 10_000L)
                .containsEntry("clearhouse.recovery.attempts-max", 10)
                .containsEntry("clearhouse.engine-threads.keep-alive-millis", 30_000L);
    }

    @Test
    void recoveryAtOpenGivesUpAfterTheConfiguredAttempts() throws IOException {
        values.put(ServerSettings.BANKS_FILE, banksFile("{}").toString());
        values.put("clearhouse.recovery.attempts-max", "3");
        BankThatCannotRecover bank = new BankThatCannotRecover();

        assertThatThrownBy(() -> EmbeddedCoordinator.open(
                        read().coordinator(), Map.of(bank.bankId(), bank), InMemoryDecisionLog.discarding()))
                .hasMessageContaining("after 3 attempts");
        assertThat(bank.recoverCalls).hasValue(3);
    }

    @Test
    void refusesAnEngineLimitThatIsNotPositiveNamingItsKey() throws IOException {
        values.put(ServerSettings.BANKS_FILE, banksFile("{}").toString());
        values.put("clearhouse.recovery.attempts-max", "0");

        assertThatThrownBy(this::read)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the setting clearhouse.recovery.attempts-max must be an integer in 1.." + Integer.MAX_VALUE
                        + ", not \"0\"");
    }

    @Test
    void aMemoryBanksLogRecordBoundInTheBanksFileReachesItsWriteAheadLog() throws IOException {
        String accounts = IntStream.range(0, 100_000)
                .mapToObj(i -> "\"account-" + i + "\": 1")
                .collect(Collectors.joining(", ", "{", "}"));
        values.put(
                ServerSettings.BANKS_FILE,
                banksFile(accounts, "\"log-record-bytes-max\": \"1048576\"").toString());
        ServerSettings settings = read();

        assertThatThrownBy(() -> OpenBanks.open(
                                BanksFile.read(settings.banksFile()), getClass().getClassLoader())
                        .close())
                .as("the opening record of 100,000 accounts is larger than 1 MiB")
                .hasMessageContaining("exceeds recordBytesMax 1048576");
        values.put(ServerSettings.BANKS_FILE, banksFile(accounts).toString());
        OpenBanks.open(BanksFile.read(read().banksFile()), getClass().getClassLoader())
                .close();
    }

    /** A banks file of one durable memory bank with {@code accounts}, in a directory of its own each time. */
    private Path banksFile(String accounts, String... settings) throws IOException {
        Path bankDirectory = Files.createTempDirectory(directory, "bank");
        String allSettings = "\"directory\": \"" + bankDirectory + "\", \"fsync\": \"false\""
                + (settings.length == 0 ? "" : ", " + String.join(", ", settings));
        Path file = Files.createTempFile(directory, "banks", ".json");
        Files.writeString(
                file,
                "{\"banks\": [{\"id\": \"1\", \"type\": \"memory\", \"settings\": {" + allSettings + "}, \"accounts\": "
                        + accounts + "}]}");
        return file;
    }

    /** A bank whose listing of prepared branches always fails, as one that is down would; it counts the tries. */
    private static final class BankThatCannotRecover implements BankAdapter {
        private final AtomicInteger recoverCalls = new AtomicInteger();

        @Override
        public String bankId() {
            return "down";
        }

        @Override
        public Set<String> accounts() {
            return Set.of();
        }

        @Override
        public Vote prepare(Xid xid, List<Posting> postings) {
            throw new BankException(bankId(), "down");
        }

        @Override
        public void commit(Xid xid) {
            throw new BankException(bankId(), "down");
        }

        @Override
        public void rollback(Xid xid) {
            throw new BankException(bankId(), "down");
        }

        @Override
        public Set<Xid> recover() {
            recoverCalls.incrementAndGet();
            throw new BankException(bankId(), "down");
        }

        @Override
        public Optional<AccountBalance> account(String account) {
            return Optional.empty();
        }

        @Override
        public Map<String, Long> postedBalances() {
            return Map.of();
        }

        @Override
        public void close() {}
    }
}
