package io.clearhouse.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One direction of a link between two processes on this machine: it listens on one address and forwards every
 * connection made to it, byte for byte in both directions, to a target address, until it is cut. Cutting closes the
 * listening socket and every connection in progress, so that the client sees its connections reset and new ones
 * refused; healing listens again on the same address. A fault test puts one in front of every peer of a cluster for
 * every other peer, so that a partition is a set of cut proxies.
 */
final class TcpProxy implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MILLIS = 1_000;
    private static final int BUFFER_BYTES = 64 * 1024;

    private final InetSocketAddress listen;
    private final InetSocketAddress target;
    private final String name;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private ServerSocket listening;

    private TcpProxy(InetSocketAddress listen, InetSocketAddress target, String name) {
        this.listen = listen;
        this.target = target;
        this.name = name;
    }

    /** A proxy listening on {@code listen} now, forwarding to {@code target}. */
    static TcpProxy start(InetSocketAddress listen, InetSocketAddress target, String name) {
        TcpProxy proxy = new TcpProxy(listen, target, name);
        proxy.heal();
        return proxy;
    }

    /** Listens again if cut; does nothing if it forwards already. */
    synchronized void heal() {
        if (listening != null) {
            return;
        }
        try {
            ServerSocket socket = new ServerSocket();
            // A cut leaves the closed connections in TIME_WAIT on this address; listening again must not wait them out.
            socket.setReuseAddress(true);
            socket.bind(listen);
            listening = socket;
            daemon("proxy-" + name + "-accept", () -> accept(socket)).start();
        } catch (IOException e) {
            throw new UncheckedIOException("proxy " + name + " cannot listen on " + listen, e);
        }
    }

    /** Stops listening and closes every connection in progress, so the link carries nothing until {@link #heal}. */
    synchronized void cut() {
        if (listening == null) {
            return;
        }
        closeQuietly(listening);
        listening = null;
        connections.forEach(TcpProxy::closeQuietly);
        connections.clear();
    }

    synchronized boolean isCut() {
        return listening == null;
    }

    @Override
    public void close() {
        cut();
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException closedByCut) {
                return;
            }
            daemon("proxy-" + name + "-connect", () -> forward(socket, client)).start();
        }
    }

    private void forward(ServerSocket acceptedBy, Socket client) {
        Socket server = new Socket();
        try {
            server.connect(target, CONNECT_TIMEOUT_MILLIS);
            // gRPC sends small frames both ways: Nagle against delayed acknowledgements would add 40 ms to each.
            server.setTcpNoDelay(true);
            client.setTcpNoDelay(true);
        } catch (IOException targetDown) {
            // The peer behind the proxy is down: the client sees its connection closed, as it would see a refusal.
            closeQuietly(client);
            closeQuietly(server);
            return;
        }
        synchronized (this) {
            if (listening != acceptedBy) {
                // Cut while this connection was being made: it must carry nothing.
                closeQuietly(client);
                closeQuietly(server);
                return;
            }
            connections.add(client);
            connections.add(server);
        }
        daemon("proxy-" + name + "-up", () -> pump(client, server)).start();
        pump(server, client);
    }

    /**
     * Copies one direction until it ends, then closes the whole connection: gRPC never half-closes a connection it
     * still uses, so the other direction has nothing left to carry.
     */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[BUFFER_BYTES];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                out.write(buffer, 0, read);
            }
        } catch (IOException resetOrCut) {
            // Either side reset the connection, or a cut closed it: it ends as at the end of the stream.
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            connections.remove(from);
            connections.remove(to);
        }
    }

    private static Thread daemon(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception alreadyGone) {
            // Closing is all that is wanted; a socket already closed is as good.
        }
    }

    @Override
    public String toString() {
        return "proxy " + name + " " + listen + " -> " + target + (isCut() ? " (cut)" : "");
    }
}
