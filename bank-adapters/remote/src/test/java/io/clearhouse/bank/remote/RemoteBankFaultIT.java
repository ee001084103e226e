package io.clearhouse.bank.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clearhouse.api.Posting;
import io.clearhouse.bankserver.BankServerProcess;
import io.clearhouse.spi.AccountBalance;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankConfig;
import io.clearhouse.spi.BankException;
import io.clearhouse.spi.Vote;
import io.clearhouse.spi.Xid;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The remote adapter against a bank server that crashes, goes away, stops answering and comes back, and against one
 * server hosting a thousand banks. Every test starts its own server and checks the banks' balances afterwards.
 */
class RemoteBankFaultIT {
    private static final List<Posting> A_TO_B_30 = List.of(new Posting("a", -30), new Posting("b", 30));

    @TempDir
    Path directory;

    private final List<BankServerProcess> servers = new ArrayList<>();
    private final List<BankAdapter> banks = new ArrayList<>();
    private final RemoteBankProvider provider = new RemoteBankProvider();

    @AfterEach
    void closeEverything() {
        banks.forEach(BankAdapter::close);
        servers.forEach(BankServerProcess::close);
    }

    @Test
    void preparedHoldsAndPostedBalancesSurviveSigkill() {
        BankServerProcess server = startServer(Map.of("1", balances("a", 100L, "b", 0L)));
        BankAdapter bank = openBank("1", server, Map.of());
        assertThat(bank.prepare(xid("t0"), A_TO_B_30)).isEqualTo(Vote.COMMIT);
        bank.commit(xid("t0"));
        assertThat(bank.prepare(xid("t1"), A_TO_B_30)).isEqualTo(Vote.COMMIT);

        server.kill();
        servers.add(server.restart());

        assertThat(bank.recover()).containsExactly(xid("t1"));
        assertThat(bank.account("a")).contains(new AccountBalance("a", 70, 30));
        bank.commit(xid("t1"));
        assertThat(bank.postedBalances()).containsExactlyEntriesOf(balances("a", 40L, "b", 60L));
        assertThat(bank.recover()).isEmpty();
    }

    @Test
    void acknowledgedCommitsSurviveSigkillWithNothingLeftPrepared() {
        Map<String, Map<String, Long>> state = new LinkedHashMap<>();
        for (String bankId : List.of("1", "2", "3", "4")) {
            state.put(bankId, balances("a-" + bankId, 100L, "b-" + bankId, 0L));
        }
        BankServerProcess server = startServer(state);
        assertThatThrownBy(() -> openBank("5", server, Map.of()))
                .isInstanceOf(BankException.class)
                .hasMessageContaining("hosts no bank 5");
        List<BankAdapter> opened = new ArrayList<>();
        for (String bankId : state.keySet()) {
            opened.add(openBank(bankId, server, Map.of()));
        }
        List<CompletableFuture<Void>> commits = new ArrayList<>();
        for (BankAdapter bank : opened) {
            String id = bank.bankId();
            Xid xid = new Xid("t1", id);
            List<Posting> move = List.of(new Posting("a-" + id, -30), new Posting("b-" + id, 30));
            assertThat(bank.prepare(xid, move)).isEqualTo(Vote.COMMIT);
            commits.add(bank.commitMany(List.of(xid)).toCompletableFuture());
        }
        // Acknowledged, and nothing after the commits forces the log: only a durable commit record survives the kill.
        commits.forEach(CompletableFuture::join);

        server.kill();
        servers.add(server.restart());

        for (BankAdapter bank : opened) {
            String id = bank.bankId();
            assertThat(bank.recover()).as("bank %s", id).isEmpty();
            assertThat(bank.account("a-" + id)).contains(new AccountBalance("a-" + id, 70, 0));
            assertThat(bank.postedBalances()).containsExactlyEntriesOf(balances("a-" + id, 70L, "b-" + id, 30L));
        }
    }

    @Test
    void failsFastWhileItsServerIsDownAndServesAgainWhenItIsBack() {
        BankServerProcess server = startServer(Map.of("1", balances("a", 100L, "b", 0L)));
        BankAdapter bank = openBank("1", server, Map.of("timeout-millis", "10000", "unavailable-millis", "60000"));
        server.kill();

        long firstNanos = System.nanoTime();
        assertThatThrownBy(() -> bank.prepare(xid("t1"), A_TO_B_30)).isInstanceOf(BankException.class);
        Duration first = Duration.ofNanos(System.nanoTime() - firstNanos);
        long refusedNanos = System.nanoTime();
        CompletionStage<Vote> refused = bank.prepareAsync(xid("t2"), A_TO_B_30);
        assertThat(refused.toCompletableFuture()).isCompletedExceptionally();
        assertThatThrownBy(bank::recover).isInstanceOf(BankException.class);
        Duration refusals = Duration.ofNanos(System.nanoTime() - refusedNanos);

        // The deadline is 10 s: a refused connection is known in milliseconds, and then calls are refused at once.
        assertThat(first).isLessThan(Duration.ofSeconds(2));
        assertThat(refusals).isLessThan(Duration.ofMillis(200));
        servers.add(server.restart());
        BankAdapter reopened = openBank("1", servers.get(servers.size() - 1), Map.of("timeout-millis", "10000"));
        assertThat(reopened.prepare(xid("t3"), A_TO_B_30)).isEqualTo(Vote.COMMIT);
        reopened.commit(xid("t3"));
        assertThat(reopened.postedBalances()).containsExactlyEntriesOf(balances("a", 70L, "b", 30L));
    }

    @Test
    void commitIsSentAgainUntilItsServerIsBackWithinTheDeadline() {
        BankServerProcess server = startServer(Map.of("1", balances("a", 100L, "b", 0L)));
        Map<String, String> settings = Map.of(
                "timeout-millis",
                "30000",
                "retries-max",
                "100",
                "retry-backoff-millis",
                "20",
                "unavailable-millis",
                "50");
        BankAdapter bank = openBank("1", server, settings);
        assertThat(bank.prepare(xid("t1"), A_TO_B_30)).isEqualTo(Vote.COMMIT);
        server.kill();

        CompletableFuture<Void> commit = bank.commitMany(List.of(xid("t1"))).toCompletableFuture();
        servers.add(server.restart());
        commit.join();

        assertThat(bank.postedBalances()).containsExactlyEntriesOf(balances("a", 70L, "b", 30L));
        assertThat(bank.recover()).isEmpty();
    }

    @Test
    void callsToAPausedServerFailAtTheirDeadlineAndSucceedOnceItResumes() {
        BankServerProcess server = startServer(Map.of("1", balances("a", 100L, "b", 0L)));
        BankAdapter bank = openBank("1", server, Map.of("timeout-millis", "500", "retries-max", "0"));
        server.pause();
        try {
            long startNanos = System.nanoTime();
            assertThatThrownBy(() -> bank.prepare(xid("t1"), A_TO_B_30))
                    .isInstanceOf(BankException.class)
                    .hasMessageContaining("within 500 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - startNanos))
                    .isBetween(Duration.ofMillis(450), Duration.ofSeconds(5));
        } finally {
            server.resume();
        }
        // The late prepare may have been applied after all: roll it back, as the coordinator would after a failure.
        bank.rollback(xid("t1"));
        assertThat(bank.prepare(xid("t2"), A_TO_B_30)).isEqualTo(Vote.COMMIT);
        bank.commit(xid("t2"));
        assertThat(bank.postedBalances()).containsExactlyEntriesOf(balances("a", 70L, "b", 30L));
    }

    @Test
    void messagesOfAThousandBanksOnOneServerShareFewRequests() {
        int bankCount = 1_000;
        Map<String, Map<String, Long>> state = new LinkedHashMap<>();
        for (int bank = 1; bank <= bankCount; bank++) {
            state.put(Integer.toString(bank), balances("from-" + bank, 100L, "to-" + bank, 0L));
        }
        BankServerProcess server = startServer(state);
        assertThat(server.banks()).hasSize(bankCount);
        Map<String, String> settings = Map.of("requests-in-flight-max", "2", "timeout-millis", "30000");
        List<HttpBankAdapter> opened = new ArrayList<>();
        for (String bankId : state.keySet()) {
            opened.add((HttpBankAdapter) openBank(bankId, server, settings));
        }
        HttpBankClient client = opened.get(0).client();
        assertThat(opened).allMatch(bank -> bank.client() == client);
        long requestsBefore = client.messageRequestsSent();

        List<CompletableFuture<Vote>> votes = new ArrayList<>();
        for (HttpBankAdapter bank : opened) {
            String id = bank.bankId();
            List<Posting> move = List.of(new Posting("from-" + id, -40), new Posting("to-" + id, 40));
            votes.add(bank.prepareAsync(new Xid("t", id), move).toCompletableFuture());
        }
        votes.forEach(vote -> assertThat(vote.join()).isEqualTo(Vote.COMMIT));
        long prepareRequests = client.messageRequestsSent() - requestsBefore;
        List<CompletableFuture<Void>> commits = new ArrayList<>();
        for (HttpBankAdapter bank : opened) {
            commits.add(bank.commitMany(List.of(new Xid("t", bank.bankId()))).toCompletableFuture());
        }
        commits.forEach(CompletableFuture::join);

        assertThat(prepareRequests).isLessThan(bankCount / 20);

        long readRequestsBefore = client.messageRequestsSent();
        List<CompletableFuture<Set<Xid>>> prepared = new ArrayList<>();
        List<CompletableFuture<Map<String, Long>>> posted = new ArrayList<>();
        for (HttpBankAdapter bank : opened) {
            prepared.add(bank.recoverAsync().toCompletableFuture());
            posted.add(bank.postedBalancesAsync().toCompletableFuture());
        }
        for (int i = 0; i < bankCount; i++) {
            String id = opened.get(i).bankId();
            assertThat(prepared.get(i).join()).isEmpty();
            assertThat(posted.get(i).join()).containsExactlyEntriesOf(balances("from-" + id, 60L, "to-" + id, 40L));
        }
        assertThat(client.messageRequestsSent() - readRequestsBefore).isLessThan(2 * bankCount / 20);
    }

    private BankServerProcess startServer(Map<String, Map<String, Long>> state) {
        Path stateFile = StateFiles.write(directory.resolve("state.json"), state);
        BankServerProcess server = BankServerProcess.start(stateFile, directory.resolve("bank-data"));
        servers.add(server);
        return server;
    }

    private BankAdapter openBank(String bankId, BankServerProcess server, Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.put("url", server.url().toString());
        BankAdapter bank = provider.open(new BankConfig(bankId, Map.of(), all));
        banks.add(bank);
        return bank;
    }

    private static Xid xid(String transactionId) {
        return new Xid(transactionId, "1");
    }

    private static Map<String, Long> balances(String first, long firstBalance, String second, long secondBalance) {
        Map<String, Long> balances = new LinkedHashMap<>();
        balances.put(first, firstBalance);
        balances.put(second, secondBalance);
        return balances;
    }
}
