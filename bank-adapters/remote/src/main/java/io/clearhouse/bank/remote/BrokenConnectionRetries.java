package io.clearhouse.bank.remote;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import org.apache.hc.client5.http.HttpRequestRetryStrategy;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.TimeValue;

/**
 * Sends a request again, at once, when the connection it went out on turned out to be broken: a kept-alive
 * connection that the server closed while it idled in the pool (the JDK server closes idle ones after 30 s), or that
 * died with a server that was restarted since. A blocking client learns that only when it uses the connection, so
 * without this a server's restart would fail a request for each connection in the pool and mark the server down.
 * Every message of the bank protocol is idempotent, so a request that may have been applied is safe to send again,
 * whatever its method.
 *
 * <p>Never retried: a connection that could not be made (refused, no route, unknown host), which says the server is
 * down; a timeout, which says it is slow; and any answer, since the caller judges statuses. At most {@code
 * retriesMax} retries, one for each connection the pool may hold, after which the next connection is a new one.
 */
final class BrokenConnectionRetries implements HttpRequestRetryStrategy {
    private final int retriesMax;

    BrokenConnectionRetries(int retriesMax) {
        this.retriesMax = retriesMax;
    }

    @Override
    public boolean retryRequest(HttpRequest request, IOException exception, int execCount, HttpContext context) {
        return execCount <= retriesMax
                && !(exception instanceof InterruptedIOException)
                && !(exception instanceof ConnectException)
                && !(exception instanceof NoRouteToHostException)
                && !(exception instanceof UnknownHostException);
    }

    @Override
    public boolean retryRequest(HttpResponse response, int execCount, HttpContext context) {
        return false;
    }

    @Override
    public TimeValue getRetryInterval(HttpRequest request, IOException exception, int execCount, HttpContext context) {
        return TimeValue.ZERO_MILLISECONDS;
    }

    @Override
    public TimeValue getRetryInterval(HttpResponse response, int execCount, HttpContext context) {
        return TimeValue.ZERO_MILLISECONDS;
    }
}
