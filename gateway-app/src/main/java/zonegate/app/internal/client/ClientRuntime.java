package zonegate.app.internal.client;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.tinylog.Logger;
import zonegate.app.internal.gateway.DataPathLoop;
import zonegate.app.internal.portal.PortalConnector;
import zonegate.controlplane.PortalEvent;
import zonegate.app.internal.portal.PortalLink;
import zonegate.controlplane.PortalMessage;
import zonegate.node.NodeConfig;
import zonegate.packet.BufferPool;
import zonegate.shell.io.LinkControl;
import zonegate.shell.io.NativeIoException;
import zonegate.shell.io.TunDevice;
import zonegate.shell.io.UdpSocket;
import zonegate.shell.loop.EventLoop;
import zonegate.tunnel.ClientState;
import zonegate.tunnel.DnsRecords;
import zonegate.wireguard.PrivateKey;
import zonegate.wireguard.PublicKey;

/**
 * A running headless client: the TUN device (MTU 1280), the node's UDP sockets (one per family, ephemeral
 * ports, their host candidates the addresses the kernel picks towards the portal), the DNS sockets, the
 * {@link ClientState} with its {@link ClientDriver} on an event loop, and the portal connection.
 *
 * <p>A reset ({@link #reset}: a network change seen by {@link NetworkWatch}, or SIGUSR1) rebinds every socket to
 * new ports and resets the state machine onto them (a new WireGuard key), then reconnects to the portal with
 * that key. The event loop's sockets are fixed, so a reset replaces the loop: the TUN device is multi-queue and
 * new queues are attached before the old loop closes its own, so the device, its addresses and routes stay.
 * Portal frames handed to the old loop and not yet taken are lost; the reconnect's init replaces them.
 *
 * <p>{@link #close()}: the portal connection is closed, the client signs out (a goodbye to every gateway,
 * flushed for at most 1 s), the device closes (its routes go with it), the policy rules are removed and the
 * original resolv.conf comes back.
 */
public final class ClientRuntime implements AutoCloseable {
    /** Exit code when the portal refused the token. */
    public static final int EXIT_REFUSED = 3;
    /** Two queues: a reset attaches new ones before the old ones close (one reader each, flows keep a queue). */
    static final int TUN_QUEUES = 2;
    private static final int POOL_BUFFERS = 4096;
    private static final int BUFFER_BYTES = 2048;

    private final ClientOptions options;
    private final List<InetAddress> portalAddresses;
    private final String deviceName;
    private final BufferPool pool;
    private final ClientDriver driver;
    private final DeviceRoutes routes;
    private final SystemDns systemDns;
    private final CompletableFuture<Integer> stopRequest = new CompletableFuture<>();
    private volatile EventLoop loop;
    private volatile PortalConnector.PortalConnection connection;
    private NetworkWatch watch;
    private boolean closed;

    private ClientRuntime(ClientOptions options, List<InetAddress> portalAddresses, String deviceName, BufferPool pool,
            ClientState state, DeviceRoutes routes, SystemDns systemDns, SocketLayout layout) {
        this.options = options;
        this.portalAddresses = portalAddresses;
        this.deviceName = deviceName;
        this.pool = pool;
        this.routes = routes;
        this.systemDns = systemDns;
        PortalLink link = new PortalLink() {
            @Override
            public void send(PortalMessage message) {
                PortalConnector.PortalConnection c = connection;
                if (c != null) {
                    c.send(message);
                }
            }

            @Override
            public void reply(String ref, PortalMessage message) {
                PortalConnector.PortalConnection c = connection;
                if (c != null) {
                    c.reply(ref, message);
                }
            }
        };
        this.driver = new ClientDriver(state, link, routes, systemDns, new DnsForwarder(new SecureRandom()), layout,
                new ClientDriver.Host() {
                    @Override
                    public void onPublicKeyChanged(PublicKey publicKey) {
                        PortalConnector.PortalConnection c = connection;
                        if (c != null) {
                            c.reconnect(query(publicKey));
                        }
                    }

                    @Override
                    public void onRefused(String reason) {
                        stopRequest.complete(EXIT_REFUSED);
                    }
                });
    }

    /**
     * Creates the device, opens the sockets, starts the loop and connects to the portal. The caller has checked
     * CAP_NET_ADMIN. A failure undoes what was done.
     */
    public static ClientRuntime start(ClientOptions options, PortalConnector connector) throws IOException {
        List<InetAddress> portal = resolve(options.portal().getHost());
        ResolvConf resolv = ResolvConf.open(options.resolvConf(), options.resolvConfBackup());
        DeviceRoutes.removeLeftovers(new NetlinkDevice(0));
        TunDevice device = TunDevice.open(options.interfaceName(), TUN_QUEUES, options.tunOffload());
        Sockets sockets = null;
        try {
            LinkControl.setMtu(device.name(), LinkControl.DEFAULT_MTU_BYTES);
            LinkControl.setUp(device.name());
            int index = LinkControl.index(device.name());
            sockets = Sockets.open(portal);
            BufferPool pool = new BufferPool(BUFFER_BYTES, POOL_BUFFERS, true);
            SecureRandom secureRandom = new SecureRandom();
            ClientState state = new ClientState(NodeConfig.client().withAead(options.aead()), PrivateKey.generate(secureRandom),
                    sockets.layout().nodeAddresses(), InstantSource.system(), secureRandom,
                    new SplittableRandom(secureRandom.nextLong()), pool, DnsRecords.EMPTY, System.nanoTime());
            state.setSystemDns(resolv.systemServers(), System.nanoTime());
            state.setInternetResourceEnabled(options.internetResource(), System.nanoTime());
            SystemDns dns = options.dns() == ClientOptions.DnsMode.RESOLV_CONF ? resolv : SystemDns.NONE;
            DeviceRoutes routes = new DeviceRoutes(new NetlinkDevice(index), portal);
            ClientRuntime runtime = new ClientRuntime(options, portal, device.name(), pool, state, routes, dns,
                    sockets.layout());
            runtime.loop = runtime.newLoop(device, sockets);
            try {
                runtime.connection = connector.connect(options.portal(), "client", options.token(),
                        query(state.publicKey()), options.portalCa(), runtime::onPortalEvent);
            } catch (IOException | RuntimeException e) {
                runtime.close();
                throw e;
            }
            runtime.watch = NetworkWatch.start(index, () -> runtime.reset("network change"));
            Logger.info("client on {} ({} {}), public key {}, portal {}", device.name(),
                    sockets.layout().nodeAddresses(), options.internetResource() ? "Internet resource on" : "",
                    state.publicKey(), options.portal());
            return runtime;
        } catch (IOException | RuntimeException e) {
            if (sockets != null && !sockets.loopOwned) {
                sockets.close();
            }
            device.close();
            throw e;
        }
    }

    /** Blocks until a stop is requested; returns the exit code ({@link #EXIT_REFUSED} when refused). */
    public int awaitStopRequest() throws InterruptedException {
        try {
            return stopRequest.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Asks {@link #awaitStopRequest} to return 0 (SIGTERM, SIGINT). From any thread. */
    public void requestStop() {
        stopRequest.complete(0);
    }

    /**
     * Rebinds the sockets to new ephemeral ports, resets the state machine onto them and reconnects to the
     * portal with the new key. From any thread but the state thread; a failure to open the new sockets or queues
     * is logged and leaves everything as it was.
     */
    public synchronized void reset(String reason) {
        if (closed) {
            return;
        }
        TunDevice queues;
        try {
            queues = TunDevice.open(deviceName, TUN_QUEUES, options.tunOffload());
        } catch (IOException | RuntimeException e) {
            Logger.warn("reset ({}) not done: cannot attach new queues to {}: {}", reason, deviceName, e.getMessage());
            return;
        }
        Sockets sockets;
        try {
            sockets = Sockets.open(portalAddresses);
        } catch (IOException | RuntimeException e) {
            queues.close();
            Logger.warn("reset ({}) not done: cannot open new sockets: {}", reason, e.getMessage());
            return;
        }
        driver.handOver();
        loop.close();
        driver.rebind(sockets.layout(), true);
        try {
            loop = newLoop(queues, sockets);
        } catch (NativeIoException e) {
            Logger.error(e, "the client cannot run after a reset: no event loop");
            stopRequest.complete(1);
            return;
        }
        Logger.info("reset ({}): sockets now {}", reason, sockets.layout().nodeAddresses());
    }

    /** The current event loop, for its counters. */
    public EventLoop loop() {
        return loop;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (watch != null) {
            watch.close();
        }
        PortalConnector.PortalConnection c = connection;
        if (c != null) {
            c.close();
        }
        loop.close();
        routes.close();
        try {
            systemDns.restore();
        } catch (IOException e) {
            Logger.error(e, "could not restore the system's DNS: put {} back by hand", options.resolvConfBackup());
        }
        Logger.info("client stopped: {} datagrams in, {} out, {} packets from the device, {} to it",
                loop.counters().datagramsIn(), loop.counters().datagramsOut(), loop.counters().devicePacketsIn(),
                loop.counters().devicePacketsOut());
    }

    private EventLoop newLoop(TunDevice device, Sockets sockets) throws NativeIoException {
        EventLoop next = EventLoop.create(DataPathLoop.CONFIG, driver, pool, device, sockets.all());
        sockets.loopOwned = true;
        next.start();
        return next;
    }

    private void onPortalEvent(PortalEvent input) {
        if (!loop.submit(input)) {
            Logger.debug("a portal input was refused by the full command queue: {}", input);
        }
    }

    private static Map<String, List<String>> query(PublicKey key) {
        String name;
        try {
            name = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            name = "zonegate-client";
        }
        return Map.of("public_key", List.of(key.toBase64()), "name", List.of(name));
    }

    private static List<InetAddress> resolve(String host) throws UnknownHostException {
        if (host == null) {
            throw new UnknownHostException("the portal URI names no host");
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return List.of(InetAddress.getAllByName(bare));
    }

    /** The node's and the DNS sockets, each marked with {@link DeviceRoutes#FWMARK}. */
    static final class Sockets {
        private final List<UdpSocket> all;
        private final SocketLayout layout;
        boolean loopOwned;

        private Sockets(List<UdpSocket> all, SocketLayout layout) {
            this.all = all;
            this.layout = layout;
        }

        List<UdpSocket> all() {
            return all;
        }

        SocketLayout layout() {
            return layout;
        }

        /** Opens them: a node socket per family the portal has an address of and the host a route for. */
        static Sockets open(List<InetAddress> portal) throws IOException {
            List<UdpSocket> all = new ArrayList<>(4);
            try {
                int[] indices = {-1, -1, -1, -1};
                InetSocketAddress[] nodeAddresses = new InetSocketAddress[2];
                for (int family = 0; family < 2; family++) {
                    InetAddress local = localAddressTowards(portal, family == 1);
                    if (local == null) {
                        continue;
                    }
                    UdpSocket socket = openMarked(family == 1 ? "::" : "0.0.0.0", family == 1);
                    if (socket == null) {
                        continue;
                    }
                    all.add(socket);
                    indices[family] = all.size() - 1;
                    nodeAddresses[family] = new InetSocketAddress(local, socket.localAddress().getPort());
                }
                if (indices[0] < 0 && indices[1] < 0) {
                    throw new IOException("no route from this host to the portal " + portal);
                }
                for (int family = 0; family < 2; family++) {
                    UdpSocket socket = openMarked(family == 1 ? "::" : "0.0.0.0", family == 1);
                    if (socket != null) {
                        all.add(socket);
                        indices[2 + family] = all.size() - 1;
                    }
                }
                return new Sockets(List.copyOf(all), new SocketLayout(indices[0], indices[1], indices[2], indices[3],
                        nodeAddresses[0], nodeAddresses[1]));
            } catch (IOException | RuntimeException e) {
                all.forEach(UdpSocket::close);
                throw e;
            }
        }

        void close() {
            all.forEach(UdpSocket::close);
        }

        private static UdpSocket openMarked(String wildcard, boolean ipv6) throws NativeIoException {
            UdpSocket socket;
            try {
                socket = UdpSocket.open(new InetSocketAddress(wildcard, 0), UdpSocket.DEFAULT_BUFFER_BYTES);
            } catch (NativeIoException e) {
                if (ipv6) {
                    Logger.info("no IPv6 UDP socket ({}): IPv4 only", e.getMessage());
                    return null;
                }
                throw e;
            }
            try {
                socket.setMark(DeviceRoutes.FWMARK);
            } catch (NativeIoException e) {
                socket.close();
                throw e;
            }
            return socket;
        }

        /**
         * The address the kernel would send from towards the portal (connecting a UDP socket only looks up the
         * route; nothing is sent), or null when the portal has no address of the family or no route leads there.
         */
        static InetAddress localAddressTowards(List<InetAddress> portal, boolean ipv6) {
            for (InetAddress target : portal) {
                if ((target instanceof Inet4Address) == ipv6) {
                    continue;
                }
                try (DatagramSocket probe = new DatagramSocket()) {
                    probe.connect(new InetSocketAddress(target, 9));
                    InetAddress local = probe.getLocalAddress();
                    if (local != null && !local.isAnyLocalAddress()) {
                        return local;
                    }
                } catch (SocketException | java.io.UncheckedIOException e) {
                    Logger.debug("no route to the portal's {}: {}", target, e.getMessage());
                }
            }
            return null;
        }
    }
}
