package io.clearhouse.banks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BanksFileTest {
    @TempDir
    Path directory;

    @Test
    void readsBanksWithTypeSettingsAndAccountsInFileOrder() throws IOException {
        Path file = write("{\"banks\": ["
                + "{\"id\": \"2\", \"type\": \"memory\", \"accounts\": {\"bob\": 5, \"alice\": 7}},"
                + "{\"id\": \"1\", \"type\": \"remote\", \"settings\": {\"url\": \"http://127.0.0.1:9\"}}]}");

        List<ConfiguredBank> banks = BanksFile.read(file);

        assertThat(banks).extracting(ConfiguredBank::bankId).containsExactly("2", "1");
        assertThat(banks.get(0).accounts()).containsExactly(Map.entry("bob", 5L), Map.entry("alice", 7L));
        assertThat(banks.get(1).type()).isEqualTo("remote");
        assertThat(banks.get(1).accounts()).isEmpty();
        assertThat(banks.get(1).config().setting("url")).contains("http://127.0.0.1:9");
    }

    @Test
    void refusesAnAccountInTwoBanksNamingBoth() throws IOException {
        Path file = write("{\"banks\": [{\"id\": \"1\", \"type\": \"memory\", \"accounts\": {\"a\": 1}},"
                + "{\"id\": \"2\", \"type\": \"memory\", \"accounts\": {\"a\": 2}}]}");

        assertThatThrownBy(() -> BanksFile.read(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("banks[1].accounts")
                .hasMessageContaining("\"a\" is also in bank \"1\"");
    }

    @Test
    void refusesAccountsThatAreNotAnObject() throws IOException {
        Path file = write("{\"banks\": [{\"id\": \"1\", \"type\": \"memory\", \"accounts\": [1]}]}");

        assertThatThrownBy(() -> BanksFile.read(file)).hasMessageContaining("banks[0].accounts must be an object");
    }

    @Test
    void refusesAFileWithoutBanks() throws IOException {
        assertThatThrownBy(() -> BanksFile.read(write("{\"banks\": []}"))).hasMessageContaining("lists no bank");
        assertThatThrownBy(() -> BanksFile.read(write("[]"))).hasMessageContaining("\"banks\" array");
    }

    private Path write(String json) throws IOException {
        Path file = Files.createTempFile(directory, "banks", ".json");
        Files.writeString(file, json);
        return file;
    }
}
