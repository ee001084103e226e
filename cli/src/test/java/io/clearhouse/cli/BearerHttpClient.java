package io.clearhouse.cli;

import io.clearhouse.auth.Role;
import io.clearhouse.auth.SigningKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The tests' HTTP client for servers that {@code serve} and {@code cluster} started: every request carries a token
 * with all roles, signed with the key pair of the data directory, as a user's requests carry one from {@code
 * clearhouse token}. The pair exists only once the command has started, so the token is signed at the first request.
 */
final class BearerHttpClient extends HttpClient {
    private static final Duration TOKEN_TTL = Duration.ofHours(24);

    private final HttpClient delegate;
    private final SigningKeys keys;
    private volatile String authorization;

    BearerHttpClient(HttpClient delegate, SigningKeys keys) {
        this.delegate = delegate;
        this.keys = keys;
    }

    private HttpRequest authorized(HttpRequest request) {
        return HttpRequest.newBuilder(request, (name, value) -> true)
                .header("Authorization", authorization())
                .build();
    }

    private String authorization() {
        if (authorization == null) {
            try {
                authorization = ServerAuth.authorization(keys, "tests", EnumSet.allOf(Role.class), TOKEN_TTL);
            } catch (IOException e) {
                throw new UncheckedIOException("no signing key yet in " + keys.directory(), e);
            }
        }
        return authorization;
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        return delegate.send(authorized(request), handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return delegate.sendAsync(authorized(request), handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(
            HttpRequest request,
            HttpResponse.BodyHandler<T> handler,
            HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
        return delegate.sendAsync(authorized(request), handler, pushPromiseHandler);
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return delegate.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return delegate.connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return delegate.followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return delegate.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return delegate.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return delegate.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return delegate.authenticator();
    }

    @Override
    public Version version() {
        return delegate.version();
    }

    @Override
    public Optional<Executor> executor() {
        return delegate.executor();
    }
}
