package io.clearhouse.bank.remote;

import io.clearhouse.spi.BankAdapter;
import io.clearhouse.spi.BankAdapterProvider;
import io.clearhouse.spi.BankConfig;
import io.clearhouse.spi.BankException;
import java.util.HashMap;
import java.util.Map;

/**
 * Opens remote banks, type {@code remote}: banks hosted by a bank server. A bank's entry names the server in setting
 * {@code url} and carries no accounts (the server has them; {@link #open} fetches them). Optional settings, each
 * described in {@link RemoteSettings}: {@code timeout-millis} (5,000), {@code requests-in-flight-max} (4), {@code
 * branches-per-request-max} (4,096), {@code request-bytes-max} (4 MiB), {@code retries-max} (3), {@code retry-backoff-millis} (50) and {@code
 * unavailable-millis} (1,000). The banks of this provider that name one server with equal settings share one {@link
 * HttpBankClient}, which is closed (its sender threads and connections with it) when the last of them closes.
 */
public final class RemoteBankProvider implements BankAdapterProvider {
    public static final String TYPE = "remote";

    private final Map<RemoteSettings, SharedClient> clients = new HashMap<>();

    private static final class SharedClient {
        private final HttpBankClient client;
        private int openBanks;

        SharedClient(HttpBankClient client) {
            this.client = client;
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public BankAdapter open(BankConfig config) {
        if (!config.initialBalances().isEmpty()) {
            throw new BankException(
                    config.bankId(), "a remote bank's accounts are on its server; its entry lists none");
        }
        RemoteSettings settings = RemoteSettings.of(config);
        HttpBankClient client = acquire(settings);
        try {
            return HttpBankAdapter.open(config.bankId(), client, () -> release(settings));
        } catch (RuntimeException e) {
            release(settings);
            throw e;
        }
    }

    private synchronized HttpBankClient acquire(RemoteSettings settings) {
        SharedClient shared = clients.computeIfAbsent(settings, key -> new SharedClient(new HttpBankClient(key)));
        shared.openBanks++;
        return shared.client;
    }

    /** Closes the shared client, its sender threads and its connections, once the last bank that uses it closes. */
    private void release(RemoteSettings settings) {
        HttpBankClient unused = null;
        synchronized (this) {
            SharedClient shared = clients.get(settings);
            if (shared != null && --shared.openBanks == 0) {
                clients.remove(settings);
                unused = shared.client;
            }
        }
        if (unused != null) {
            unused.close();
        }
    }
}
