package io.clearhouse.bank.remote;

import io.clearhouse.spi.BankConfig;
import io.clearhouse.spi.BankException;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * The settings of a remote bank, from its entry in the banks file. Banks that name the same server with the same
 * settings share one {@link HttpBankClient}; the record's equality is what decides that.
 *
 * @param url the bank server's address, such as {@code http://10.0.0.7:8100}
 * @param timeoutMillis the deadline of every call: a message, retries included, or a read that has no answer by then
 *     fails with a {@link BankException}
 * @param requestsInFlightMax the most requests in flight to the server at once; messages that arrive meanwhile wait
 *     and leave together in the next request
 * @param branchesPerRequestMax the most branches one request carries (a message larger than this goes alone); keep it
 *     at most the server's {@code --branches-max}
 * @param requestBytesMax the most bytes one request's body holds (a message larger than this goes alone); keep it at
 *     most the server's {@code --request-bytes-max}
 * @param retriesMax how many times a commit or rollback message is sent again after a failure, within its deadline
 * @param retryBackoffMillis the pause before the first retry, doubled for each next one
 * @param unavailableMillis how long the client refuses every call at once after a connection to the server failed,
 *     instead of piling up calls that would each wait for the same failure
 */
record RemoteSettings(
        URI url,
        long timeoutMillis,
        int requestsInFlightMax,
        int branchesPerRequestMax,
        int requestBytesMax,
        int retriesMax,
        long retryBackoffMillis,
        long unavailableMillis) {
    static final String URL = "url";
    static final String TIMEOUT_MILLIS = "timeout-millis";
    static final String REQUESTS_IN_FLIGHT_MAX = "requests-in-flight-max";
    static final String BRANCHES_PER_REQUEST_MAX = "branches-per-request-max";
    static final String REQUEST_BYTES_MAX = "request-bytes-max";
    static final String RETRIES_MAX = "retries-max";
    static final String RETRY_BACKOFF_MILLIS = "retry-backoff-millis";
    static final String UNAVAILABLE_MILLIS = "unavailable-millis";

    static final long TIMEOUT_MILLIS_DEFAULT = 5_000;
    static final int REQUESTS_IN_FLIGHT_MAX_DEFAULT = 4;
    static final int BRANCHES_PER_REQUEST_MAX_DEFAULT = 4_096;
    static final int REQUEST_BYTES_MAX_DEFAULT = 4 << 20;
    static final int RETRIES_MAX_DEFAULT = 3;
    static final long RETRY_BACKOFF_MILLIS_DEFAULT = 50;
    static final long UNAVAILABLE_MILLIS_DEFAULT = 1_000;

    /** The settings of {@code config}, defaults filled in. */
    static RemoteSettings of(BankConfig config) {
        return new RemoteSettings(
                url(config),
                positive(config, TIMEOUT_MILLIS, TIMEOUT_MILLIS_DEFAULT, Integer.MAX_VALUE),
                (int) positive(config, REQUESTS_IN_FLIGHT_MAX, REQUESTS_IN_FLIGHT_MAX_DEFAULT, 1_024),
                (int) positive(config, BRANCHES_PER_REQUEST_MAX, BRANCHES_PER_REQUEST_MAX_DEFAULT, 1 << 20),
                (int) positive(config, REQUEST_BYTES_MAX, REQUEST_BYTES_MAX_DEFAULT, Integer.MAX_VALUE),
                (int) nonNegative(config, RETRIES_MAX, RETRIES_MAX_DEFAULT, 100),
                positive(config, RETRY_BACKOFF_MILLIS, RETRY_BACKOFF_MILLIS_DEFAULT, Integer.MAX_VALUE),
                positive(config, UNAVAILABLE_MILLIS, UNAVAILABLE_MILLIS_DEFAULT, Integer.MAX_VALUE));
    }

    private static URI url(BankConfig config) {
        String text = config.setting(URL)
                .orElseThrow(() -> new BankException(config.bankId(), "setting " + URL + " is required"));
        try {
            URI url = new URI(text.trim().replaceAll("/+$", ""));
            if (!"http".equals(url.getScheme())
                    || url.getHost() == null
                    || url.getRawPath().length() > 0) {
                throw new BankException(config.bankId(), "setting " + URL + " must be http://HOST:PORT: " + text);
            }
            return url;
        } catch (URISyntaxException e) {
            throw new BankException(config.bankId(), "setting " + URL + " is not a URL: " + text, e);
        }
    }

    private static long positive(BankConfig config, String key, long defaultValue, long max) {
        return config.integerSetting(key, defaultValue, 1, max);
    }

    private static long nonNegative(BankConfig config, String key, long defaultValue, long max) {
        return config.integerSetting(key, defaultValue, 0, max);
    }
}
