package zonegate.app.internal.relay;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.tinylog.Logger;
import zonegate.shell.io.UdpSocket;
import zonegate.shell.loop.EventLoop;
import zonegate.shell.loop.EventLoopConfig;
import zonegate.packet.BufferPool;
import zonegate.turn.server.Cidr;
import zonegate.turn.server.PeerPolicy;
import zonegate.turn.server.RelayConfig;
import zonegate.turn.server.RelayServer;

/**
 * A running TURN relay: the listen socket, one UDP socket per port of the relay port range (all opened
 * up front, so a range of N ports costs N + 1 sockets and file descriptors), the {@link RelayServer} and
 * the event loop that drives it.
 *
 * <p>{@link #close()} stops reading, flushes for at most 1 s, logs a traffic summary and closes the
 * sockets (the event loop owns them once it is created).
 */
public final class RelayRuntime implements AutoCloseable {
    /** Buffers in the shared pool: in flight between readers, the state machine and writers. */
    private static final int POOL_BUFFERS = 8192;
    /** Room for a full-size Ethernet datagram plus a TURN header (ChannelData 4, Data indication 36+ bytes). */
    private static final int BUFFER_BYTES = 2048;
    /** Relay sockets see one allocation's traffic each; smaller kernel buffers keep a wide range affordable. */
    private static final int RELAY_SOCKET_BUFFER_BYTES = 256 << 10;
    /**
     * The state thread reads and sends itself (a relayed datagram costs one wake-up, not three) and sleeps
     * in epoll as soon as a cycle finds nothing: each idle cycle would be an epoll_wait of its own, and
     * spinning 100 of them cost more CPU per message at 2-10k messages/s than the sleep it saves (measured).
     */
    private static final EventLoopConfig LOOP_CONFIG = EventLoopConfig.defaults().withReadBatches(32, 2)
            .withStateThreadIo().withIdle(0, 0);

    private final EventLoop loop;
    private final InetSocketAddress listenAddress;

    private RelayRuntime(EventLoop loop, InetSocketAddress listenAddress) {
        this.loop = loop;
        this.listenAddress = listenAddress;
    }

    /**
     * Binds the listen socket to {@code listen} (port 0 picks one, see {@link #listenAddress()}) and one
     * socket per port of {@code config}'s relay range to {@code listen}'s address, and starts the loop.
     * Peers at the listen address and at every address of the host's interfaces (read once, now) are
     * refused on top of {@code config}'s peer policy, unless it allows them.
     *
     * @throws IOException when a socket cannot be opened (e.g. EADDRINUSE on a relay port), naming it, or
     *     the host's addresses cannot be listed
     */
    public static RelayRuntime start(RelayConfig config, InetSocketAddress listen) throws IOException {
        config = config.withPeerPolicy(refusingHost(config.peerPolicy(), listen.getAddress()));
        InetAddress bindAddress = listen.getAddress();
        List<UdpSocket> sockets = new ArrayList<>(config.relayPortHigh() - config.relayPortLow() + 2);
        try {
            sockets.add(UdpSocket.open(listen, UdpSocket.DEFAULT_BUFFER_BYTES));
            for (int port = config.relayPortLow(); port <= config.relayPortHigh(); port++) {
                sockets.add(UdpSocket.open(new InetSocketAddress(bindAddress, port), RELAY_SOCKET_BUFFER_BYTES));
            }
            InetSocketAddress bound = sockets.get(RelayDriver.LISTEN_SOCKET_INDEX).localAddress();
            RelayServer server = new RelayServer(config, InstantSource.system(),
                    new SplittableRandom(new SecureRandom().nextLong()), System.nanoTime());
            RelayDriver driver = new RelayDriver(server, config.relayPortLow(), sockets.size() - 1);
            BufferPool pool = new BufferPool(BUFFER_BYTES, POOL_BUFFERS, true);
            EventLoop loop = EventLoop.create(LOOP_CONFIG, driver, pool, null, sockets);
            loop.start();
            Logger.info("turn relay listening on udp {} realm={}, relay ports {}-{} ({} sockets) advertised as {}",
                    bound, config.realm(), config.relayPortLow(), config.relayPortHigh(), sockets.size() - 1,
                    config.relayAddressV4() != null ? config.relayAddressV4() : config.relayAddressV6());
            Logger.info("turn relay peer policy: {} refused ranges ({} by default, the rest addresses of this host"
                    + "), allowed {}, user quota {}", config.peerPolicy().refused().size(),
                    PeerPolicy.DEFAULT_REFUSED.size(), config.peerPolicy().allowed(), config.maxAllocationsPerUser());
            return new RelayRuntime(loop, bound);
        } catch (IOException | RuntimeException e) {
            sockets.forEach(UdpSocket::close);
            throw e;
        }
    }

    /**
     * {@code policy} also refusing {@code listenAddress} (unless it is a wildcard) and every address of the
     * host's network interfaces, without their IPv6 scope.
     */
    static PeerPolicy refusingHost(PeerPolicy policy, InetAddress listenAddress) throws IOException {
        Set<InetAddress> own = new LinkedHashSet<>();
        if (!listenAddress.isAnyLocalAddress()) {
            own.add(listenAddress);
        }
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                own.add(InetAddress.getByAddress(address.getAddress()));
            }
        }
        return policy.refusing(own.stream().map(Cidr::host).toList());
    }

    /** The bound listen address (with the port the kernel chose when asked for port 0). */
    public InetSocketAddress listenAddress() {
        return listenAddress;
    }

    /** The event loop, for its counters. */
    public EventLoop loop() {
        return loop;
    }

    @Override
    public void close() {
        loop.close();
    }
}
