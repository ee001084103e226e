package io.clearhouse.web.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.clearhouse.spi.AccountBalance;
import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankAdapterRegistry;
import io.clearhouse.spi.BankConfig;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The banks of bank-server processes as the test reads them, through the {@code remote} adapter, and the opening
 * balances and committed transfers that should explain them.
 */
final class BankServerLedgers {
    private final Map<String, Map<String, Long>> opening = new LinkedHashMap<>();
    private final List<String[]> committed = new ArrayList<>();

    /** Bank {@code bankId} opens with five accounts {@code prefix}0 to {@code prefix}4, each holding {@code balance}. */
    BankServerLedgers bank(String bankId, String prefix, long balance) {
        Map<String, Long> accounts = new LinkedHashMap<>();
        for (int n = 0; n < 5; n++) {
            accounts.put(prefix + n, balance);
        }
        opening.put(bankId, accounts);
        return this;
    }

    /** Every bank's opening accounts, as a bank server's state file holds them. */
    Map<String, Map<String, Long>> opening() {
        return opening;
    }

    long openingTotal() {
        return opening.values().stream()
                .flatMap(accounts -> accounts.values().stream())
                .mapToLong(Long::longValue)
                .sum();
    }

    /** Submits a transfer, expects 200, remembers it if it committed, and answers its status. */
    String transfer(Api api, String id, String from, String to, long amount) {
        Api.Answer answer = api.postJson("api/transfers", transferBody(id, from, to, amount));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        String status = answer.json().get("status").textValue();
        if (status.equals("committed")) {
            committed.add(new String[] {from, to, Long.toString(amount)});
        }
        return status;
    }

    static String transferBody(String id, String from, String to, long amount) {
        return "{\"id\":\"" + id + "\",\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"amount\":" + amount + "}";
    }

    static BankAdapter open(URI url, String bankId) {
        return BankAdapterRegistry.load(BankServerLedgers.class.getClassLoader())
                .open("remote", new BankConfig(bankId, Map.of(), Map.of("url", url.toString())));
    }

    static long posted(URI url, String bankId, String account) {
        try (BankAdapter bank = open(url, bankId)) {
            return bank.account(account).orElseThrow().posted();
        }
    }

    /**
     * Nothing prepared or held at any bank, and every posted balance its opening one moved by the transfers that
     * committed and by {@code adjustments}; answers the banks' total.
     *
     * @param urls where each bank's server answers
     */
    long assertSettled(Map<String, URI> urls, Map<String, Long> adjustments) {
        Map<String, Long> expected = new LinkedHashMap<>();
        opening.values().forEach(expected::putAll);
        for (String[] transfer : committed) {
            expected.merge(transfer[0], -Long.parseLong(transfer[2]), Long::sum);
            expected.merge(transfer[1], Long.parseLong(transfer[2]), Long::sum);
        }
        adjustments.forEach((account, amount) -> expected.merge(account, amount, Long::sum));
        long total = 0;
        for (String bankId : opening.keySet()) {
            try (BankAdapter bank = open(urls.get(bankId), bankId)) {
                assertThat(bank.recover()).as("prepared at bank %s", bankId).isEmpty();
                for (Map.Entry<String, Long> posted : bank.postedBalances().entrySet()) {
                    AccountBalance balance = bank.account(posted.getKey()).orElseThrow();
                    assertThat(balance.held()).as("held on %s", posted.getKey()).isZero();
                    assertThat(posted.getValue())
                            .as("balance of %s", posted.getKey())
                            .isEqualTo(expected.get(posted.getKey()));
                    total += posted.getValue();
                }
            }
        }
        return total;
    }
}
