package io.clearhouse.bank.example;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clearhouse.api.Posting;
import io.clearhouse.spi.BankConfig;
import io.clearhouse.spi.BankException;
import io.clearhouse.spi.Xid;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the kit cannot see from outside: the file's text, and the refusal of a file that was damaged or mixed up. */
class BankFileTest {
    @TempDir
    Path directory;

    @Test
    void writesTheStateAsReadableLinesWithNamesEncoded() throws IOException {
        Path path = directory.resolve("bank.txt");
        BankState state = BankState.opening("1", Map.of("alice smith", 900L));
        state.prepare(new Xid("t 1", "1"), List.of(new Posting("alice smith", -50)));

        new BankFile(path).write(state);

        assertThat(Files.readAllLines(path, UTF_8))
                .startsWith(BankFile.HEADER, "bank 1", "account alice+smith 900", "prepared t+1 1 alice+smith -50")
                .hasSize(5);
        assertThat(directory.resolve("bank.txt.tmp")).doesNotExist();
    }

    @Test
    void readsBackWhatItWrote() throws IOException {
        BankFile file = new BankFile(directory.resolve("bank.txt"));
        BankState state = BankState.opening("1", Map.of("a", 100L, "b", 0L));
        state.prepare(new Xid("t1", "1"), List.of(new Posting("a", -30), new Posting("b", 30)));
        state.prepare(new Xid("t2", "1"), List.of(new Posting("a", -10)));
        state.commit(new Xid("t2", "1"), 10);
        state.rollback(new Xid("never-prepared", "1"), 10);
        file.write(state);

        BankState read = file.read().orElseThrow();

        assertThat(BankFile.format(read)).isEqualTo(BankFile.format(state));
        assertThat(read.account("a").orElseThrow().held()).isEqualTo(30);
    }

    @Test
    void refusesToOpenADamagedFile() throws IOException {
        Path path = directory.resolve("bank.txt");
        ExampleBankProvider provider = new ExampleBankProvider();
        BankConfig config = new BankConfig("1", Map.of("a", 100L), Map.of(ExampleBankProvider.FILE, path.toString()));
        provider.open(config).close();
        Files.writeString(path, Files.readString(path).replace("account a 100", "account a 900"));

        assertThatThrownBy(() -> provider.open(config))
                .isInstanceOf(BankException.class)
                .hasStackTraceContaining("checksum does not match");
    }

    @Test
    void refusesTheFileOfAnotherBank() {
        Path path = directory.resolve("bank.txt");
        ExampleBankProvider provider = new ExampleBankProvider();
        provider.open(new BankConfig("1", Map.of("a", 100L), Map.of(ExampleBankProvider.FILE, path.toString())))
                .close();

        assertThatThrownBy(() -> provider.open(
                        new BankConfig("2", Map.of("a", 100L), Map.of(ExampleBankProvider.FILE, path.toString()))))
                .isInstanceOf(BankException.class)
                .hasMessageContaining("belongs to bank 1");
    }

    @Test
    void forgetsTheOldestFinishedBranchesBeyondItsLimit() {
        BankState state = BankState.opening("1", Map.of("a", 100L));
        for (int n = 0; n < 5; n++) {
            state.rollback(new Xid("t" + n, "1"), 3);
        }

        assertThat(state.finished().keySet())
                .containsExactly(new Xid("t2", "1"), new Xid("t3", "1"), new Xid("t4", "1"));
    }
}
