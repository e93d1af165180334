package io.prefixflow.connectors.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.test.PreboundSocketFactoryManager;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.server.ServerSocketFactory;

/**
 * Binds every listener socket of the in-process cluster to 127.0.0.1.
 *
 * <p>NOTE: {@code KafkaClusterTestKit} pre-binds each node's listener sockets on the wildcard
 * address (all interfaces) before the nodes start, whatever {@code listeners} says. This
 * replacement keeps the same contract (pre-bind an ephemeral port per node and listener, hand
 * that socket to the node's socket server, close the unused ones) but binds only to loopback,
 * so nothing outside the machine can reach the embedded broker.
 */
final class LoopbackSocketFactoryManager extends PreboundSocketFactoryManager {
    static final InetAddress LOOPBACK = loopback();

    private final Map<Integer, Map<String, ServerSocketChannel>> sockets = new HashMap<>();
    private final Map<Integer, Set<String>> used = new HashMap<>();
    private final List<InetSocketAddress> bound = new ArrayList<>();
    private boolean closed;

    @Override
    public synchronized int getOrCreatePortForListener(int nodeId, String listener) throws IOException {
        Map<String, ServerSocketChannel> forNode = sockets.computeIfAbsent(nodeId, id -> new HashMap<>());
        ServerSocketChannel channel = forNode.get(listener);
        if (channel == null) {
            if (closed) {
                throw new IOException("cannot open a socket for listener " + listener + ": manager is closed");
            }
            channel = bind(listener, 0, -1, -1);
            forNode.put(listener, channel);
        }
        return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    @Override
    public synchronized ServerSocketChannel getSocketForListenerAndMarkAsUsed(int nodeId, String listener) {
        ServerSocketChannel channel = sockets.getOrDefault(nodeId, Map.of()).get(listener);
        if (channel != null) {
            used.computeIfAbsent(nodeId, id -> new HashSet<>()).add(listener);
        }
        return channel;
    }

    @Override
    public synchronized ServerSocketFactory getOrCreateSocketFactory(int nodeId) {
        return (listener, requested, backlog, receiveBufferBytes) -> open(nodeId, listener, backlog, receiveBufferBytes);
    }

    /** Every address a socket was bound to, in order; all loopback. */
    synchronized List<InetSocketAddress> boundAddresses() {
        return List.copyOf(bound);
    }

    @Override
    public synchronized void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        for (var node : sockets.entrySet()) {
            Set<String> usedListeners = used.getOrDefault(node.getKey(), Set.of());
            for (var entry : node.getValue().entrySet()) {
                if (!usedListeners.contains(entry.getKey())) {
                    Utils.closeQuietly(entry.getValue(), "prebound socket " + entry.getKey());
                }
            }
        }
        super.close();
    }

    private synchronized ServerSocketChannel open(int nodeId, String listener, int backlog, int receiveBufferBytes)
            throws IOException {
        ServerSocketChannel prebound = getSocketForListenerAndMarkAsUsed(nodeId, listener);
        if (prebound != null && prebound.isOpen()) {
            return prebound;
        }
        int port = prebound == null ? 0 : prebound.socket().getLocalPort();
        return bind(listener, port, backlog, receiveBufferBytes);
    }

    private ServerSocketChannel bind(String listener, int port, int backlog, int receiveBufferBytes) throws IOException {
        ServerSocketChannel channel = ServerSocketFactory.INSTANCE.openServerSocket(
                listener, new InetSocketAddress(LOOPBACK, port), backlog, receiveBufferBytes);
        bound.add((InetSocketAddress) channel.getLocalAddress());
        return channel;
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
