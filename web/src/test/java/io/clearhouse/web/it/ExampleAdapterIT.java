package io.clearhouse.web.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clearhouse.bank.example.ExampleBankProvider;
import io.clearhouse.postgres.PostgresDatabase;
import io.clearhouse.postgres.junit.PostgresExtension;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The worked example of docs/writing-an-adapter.md, dropped in: Payara Micro runs the WAR, which does not carry the
 * {@code example} adapter, with the adapter's jar added beside it ({@code --addLibs}), over a banks file whose two
 * banks are of type {@code example}. A transfer across them commits and moves the money; one that the debited bank
 * cannot cover aborts with {@code INSUFFICIENT_FUNDS} and moves nothing. Then the banks' own files, read after the
 * server was killed, hold exactly the committed balances and nothing prepared.
 */
@ExtendWith(PostgresExtension.class)
class ExampleAdapterIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long OPENING_BALANCE = 1_000;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

    @Test
    void movesMoneyBetweenTwoExampleBanksAddedBesideTheWar(PostgresDatabase cluster) throws Exception {
        assertWarLacksTheExampleAdapter();
        Path directory = Path.of("target", "example-adapter-it").toAbsolutePath();
        ServerFiles.recreate(directory);
        Map<String, Map<String, Long>> opening = new LinkedHashMap<>();
        opening.put("1", Map.of("alice", OPENING_BALANCE));
        opening.put("2", Map.of("bob", OPENING_BALANCE));
        Path banksFile = writeExampleBanksFile(directory, opening);
        Path properties = ServerFiles.writeSystemProperties(directory, banksFile, cluster.createFresh());

        try (PayaraMicroProcess server = PayaraMicroProcess.start(properties, directory, exampleLibraries())) {
            Api api = server.awaitReady(READY_TIMEOUT);

            JsonNode committed = transfer(api, "t-committed", "alice", "bob", 300);
            assertThat(committed.get("status").textValue())
                    .as(committed.toString())
                    .isEqualTo("committed");
            assertThat(api.balance("alice")).isEqualTo(700);
            assertThat(api.balance("bob")).isEqualTo(1_300);

            JsonNode refused = transfer(api, "t-refused", "alice", "bob", 701);
            assertThat(refused.get("status").textValue()).as(refused.toString()).isEqualTo("aborted");
            assertThat(refused.get("reason").textValue()).isEqualTo("INSUFFICIENT_FUNDS");
            assertThat(api.balance("alice")).isEqualTo(700);
            assertThat(api.balance("bob")).isEqualTo(1_300);
        }

        assertBankFile(directory, "1", "alice", 700);
        assertBankFile(directory, "2", "bob", 1_300);
    }

    /** The adapter reaches the server only through {@code --addLibs}; a copy inside the WAR would prove nothing. */
    private static void assertWarLacksTheExampleAdapter() throws IOException {
        try (ZipFile war = new ZipFile(System.getProperty("clearhouse.war"))) {
            assertThat(war.stream().map(entry -> entry.getName()))
                    .filteredOn(name -> name.contains("clearhouse-bank-example"))
                    .isEmpty();
            assertThat(war.stream().map(entry -> entry.getName()))
                    .as("the WAR carries the SPI the other adapters need")
                    .anyMatch(name -> name.matches("WEB-INF/lib/clearhouse-spi-.*\\.jar"));
        }
    }

    /** The jars Maven copied for this test: the adapter, and the SPI and API it links against. */
    private static List<Path> exampleLibraries() {
        Path libraries = Path.of(System.getProperty("clearhouse.example.libraries"));
        return List.of(
                libraries.resolve("clearhouse-bank-example.jar"),
                libraries.resolve("clearhouse-spi.jar"),
                libraries.resolve("clearhouse-api.jar"));
    }

    private static Path bankFile(Path directory, String bankId) {
        return directory.resolve("banks").resolve("bank-" + bankId + ".txt");
    }

    private static Path writeExampleBanksFile(Path directory, Map<String, Map<String, Long>> opening)
            throws IOException {
        List<Map<String, Object>> banks = new ArrayList<>();
        opening.forEach((bankId, accounts) -> banks.add(Map.of(
                "id",
                bankId,
                "type",
                ExampleBankProvider.TYPE,
                "settings",
                Map.of(ExampleBankProvider.FILE, bankFile(directory, bankId).toString()),
                "accounts",
                accounts)));
        Path file = directory.resolve("banks.json");
        JSON.writeValue(file.toFile(), Map.of("banks", banks));
        return file;
    }

    private static JsonNode transfer(Api api, String id, String from, String to, long amount) {
        String body =
                "{\"id\":\"" + id + "\",\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"amount\":" + amount + "}";
        Api.Answer answer = api.postJson("api/transfers", body);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    /** The bank as its file holds it once the server is gone: the balance, nothing held, nothing prepared. */
    private static void assertBankFile(Path directory, String bankId, String account, long balance) {
        BankConfig config = new BankConfig(
                bankId,
                Map.of(),
                Map.of(ExampleBankProvider.FILE, bankFile(directory, bankId).toString()));
        try (BankAdapter bank = new ExampleBankProvider().open(config)) {
            assertThat(bank.recover()).as("prepared at bank %s", bankId).isEmpty();
            assertThat(bank.postedBalances()).containsExactly(Map.entry(account, balance));
            assertThat(bank.account(account).orElseThrow().held()).isZero();
        }
    }
}
