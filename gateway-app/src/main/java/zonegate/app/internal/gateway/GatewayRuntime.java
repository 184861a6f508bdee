package zonegate.app.internal.gateway;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.tinylog.Logger;
import zonegate.app.internal.dns.DnsServerConfig;
import zonegate.app.internal.dns.GatewayDnsServer;
import zonegate.app.internal.dns.UpstreamConfig;
import zonegate.app.internal.dns.UpstreamResolver;
import zonegate.shell.io.LinkControl;
import zonegate.shell.io.NativeIoException;
import zonegate.shell.io.Rtnetlink;
import zonegate.shell.io.TunDevice;
import zonegate.shell.io.UdpSocket;
import zonegate.shell.loop.EventLoop;
import zonegate.app.spi.GatewayPolicy;
import zonegate.app.spi.GatewaySettings;
import zonegate.app.spi.InterfaceAddress;
import zonegate.filter.Cidr;
import zonegate.filter.GatewayServices;
import zonegate.nat64.Nat64Prefix;
import zonegate.packet.BufferPool;
import zonegate.tunnel.DnsResourceConfig;
import zonegate.tunnel.GatewayConfig;
import zonegate.wireguard.AeadChoice;
import zonegate.tunnel.GatewayState;

/**
 * A running gateway: the TUN device with the gateway's tunnel addresses, one UDP socket per family on
 * the listen port, the {@link GatewayState} and the event loop that drives it. Built from the first
 * policy of the control plane; later policies arrive through {@link #apply}.
 *
 * <p>{@link #close()} stops reading, flushes for at most 1 s and closes the device and the sockets (the
 * event loop owns them once it is created).
 */
public final class GatewayRuntime implements AutoCloseable {
    /** Buffers in the shared pool: in flight between readers, the state machine and writers. */
    private static final int POOL_BUFFERS = 8192;
    /** Room around the MTU for WireGuard's 32 bytes and the IP/UDP headers of a datagram. */
    private static final int BUFFER_HEADROOM_BYTES = 128;

    private final EventLoop loop;
    private final GatewayDnsServer dns;
    private final GatewayState state;

    private GatewayRuntime(EventLoop loop, GatewayDnsServer dns, GatewayState state) {
        this.loop = loop;
        this.dns = dns;
        this.state = state;
    }

    /**
     * Creates the TUN device {@code interfaceName} with {@code queues} queues, sets its MTU and
     * addresses, opens the UDP sockets and starts the loop, with WireGuard's transport AEAD as {@code aead}
     * says. The caller has checked CAP_NET_ADMIN.
     */
    public static GatewayRuntime start(GatewayPolicy policy, String interfaceName, int queues, AeadChoice aead)
            throws IOException {
        return start(policy, interfaceName, queues, aead, true);
    }

    /** As {@link #start(GatewayPolicy, String, int, AeadChoice)}, with TUN offloads on or off. */
    public static GatewayRuntime start(GatewayPolicy policy, String interfaceName, int queues, AeadChoice aead,
                                       boolean tunOffload) throws IOException {
        return open(policy, interfaceName, queues, aead, tunOffload, true);
    }

    /**
     * As {@link #start} but without the loop's state thread: the caller's thread that will drive the loop calls
     * {@code loop().startEmbedded()}, then {@code invoke()} and {@code idle()} (an embedding application's duty cycle).
     */
    public static GatewayRuntime openEmbedded(GatewayPolicy policy, String interfaceName, int queues, AeadChoice aead,
                                              boolean tunOffload) throws IOException {
        return open(policy, interfaceName, queues, aead, tunOffload, false);
    }

    private static GatewayRuntime open(GatewayPolicy policy, String interfaceName, int queues, AeadChoice aead,
                                       boolean tunOffload, boolean ownThreads) throws IOException {
        GatewaySettings settings = policy.gateway();
        TunDevice device = TunDevice.open(interfaceName, queues, tunOffload);
        List<UdpSocket> sockets = new ArrayList<>(2);
        try {
            configureDevice(device.name(), settings);
            UdpSocket ipv4 = UdpSocket.open(new InetSocketAddress("0.0.0.0", settings.listenPort()),
                    UdpSocket.DEFAULT_BUFFER_BYTES);
            sockets.add(ipv4);
            int ipv6Index = openIpv6(settings.listenPort(), sockets);
            int bufferBytes = Math.max(2048, settings.mtuBytes() + BUFFER_HEADROOM_BYTES);
            // Beyond what its readers keep (it grows with --queues), the pool's bound is POOL_BUFFERS.
            BufferPool pool = new BufferPool(bufferBytes, POOL_BUFFERS
                    + EventLoop.minimumPoolBuffers(DataPathLoop.CONFIG, device.queueCount(), sockets.size()), true);
            GatewayState state = new GatewayState(gatewayConfig(settings, aead), settings.privateKey(),
                    InstantSource.system(), new SecureRandom(), new SplittableRandom(new SecureRandom().nextLong()),
                    pool, System.nanoTime());
            GatewayDriver driver = new GatewayDriver(state, policy, 0, ipv6Index);
            EventLoop loop = EventLoop.create(DataPathLoop.CONFIG, driver, pool, device, sockets);
            if (ownThreads) {
                loop.start();
            }
            GatewayDnsServer dns;
            try {
                dns = startDns(settings, loop, driver);
            } catch (IOException | RuntimeException e) {
                loop.close();
                throw e;
            }
            Logger.info("gateway listening on UDP port {} ({}), interface {} with {} and {}, public key {}",
                    settings.listenPort(), ipv6Index < 0 ? "IPv4 only" : "IPv4 and IPv6", device.name(),
                    settings.tunnelIpv4(), settings.tunnelIpv6(), state.publicKey());
            return new GatewayRuntime(loop, dns, state);
        } catch (IOException | RuntimeException e) {
            sockets.forEach(UdpSocket::close);
            device.close();
            throw e;
        }
    }

    /**
     * Hands a new policy from the control plane to the state thread. Never refused: it waits in the
     * loop's latest-state slot, and a newer policy replaces one not yet applied.
     */
    public void apply(GatewayPolicy policy) {
        loop.publishLatest(new GatewayCommand.ApplyPolicy(policy));
    }

    /**
     * Runs {@code task} with the state machine on the state thread, through the loop's command queue.
     *
     * @return false when the command queue is full (the task never runs)
     */
    public boolean submitToState(Consumer<GatewayState> task) {
        return loop.submit(new GatewayCommand.WithState(task));
    }

    /** The state machine, only for code already on the state thread (an embedded loop's driving thread). */
    public GatewayState stateOnStateThread() {
        return state;
    }

    /** The event loop, for its counters. */
    public EventLoop loop() {
        return loop;
    }

    @Override
    public void close() {
        dns.close();
        loop.close();
        Logger.info("gateway stopped: {} datagrams in, {} out, {} packets from the device, {} to it",
                loop.counters().datagramsIn(), loop.counters().datagramsOut(),
                loop.counters().devicePacketsIn(), loop.counters().devicePacketsOut());
    }

    /**
     * The DNS server for stock clients, on the gateway's tunnel addresses (already on the device, so
     * the kernel lets us bind them): clients' queries reach it through the TUN device.
     */
    private static GatewayDnsServer startDns(GatewaySettings settings, EventLoop loop, GatewayDriver driver)
            throws IOException {
        List<InetAddress> addresses = List.of(settings.tunnelIpv4().address(), settings.tunnelIpv6().address());
        return GatewayDnsServer.start(DnsServerConfig.of(addresses), new LoopDnsBackend(loop, driver.dnsClients()),
                new UpstreamResolver(UpstreamConfig.of(settings.upstreamDns())));
    }

    private static void configureDevice(String name, GatewaySettings settings) throws NativeIoException {
        LinkControl.setMtu(name, settings.mtuBytes());
        addAddresses(name, List.of(settings.tunnelIpv4(), settings.tunnelIpv6()));
        LinkControl.setUp(name);
    }

    /** Puts {@code addresses} on the device (each with its prefix, so the kernel routes the range to it). */
    static void addAddresses(String name, List<InterfaceAddress> addresses) throws NativeIoException {
        int index = LinkControl.index(name);
        try (Rtnetlink netlink = Rtnetlink.open()) {
            for (InterfaceAddress address : addresses) {
                netlink.addAddress(index, address.address(), address.prefixLengthBits());
            }
        }
    }

    /** Opens the IPv6 socket; a host without IPv6 keeps the gateway on IPv4 only. Returns its index or -1. */
    private static int openIpv6(int port, List<UdpSocket> sockets) {
        try {
            sockets.add(UdpSocket.open(new InetSocketAddress("::", port), UdpSocket.DEFAULT_BUFFER_BYTES));
            return sockets.size() - 1;
        } catch (NativeIoException e) {
            Logger.warn("no IPv6 UDP socket on port {} ({}): serving IPv4 clients only", port, e.getMessage());
            return -1;
        }
    }

    private static GatewayConfig gatewayConfig(GatewaySettings settings, AeadChoice aead) {
        InetAddress v4 = settings.tunnelIpv4().address();
        InetAddress v6 = settings.tunnelIpv6().address();
        GatewayConfig defaults = GatewayConfig.defaults((Inet4Address) v4, (Inet6Address) v6);
        GatewayConfig config = defaults.withWireGuard(defaults.wireGuard().withAead(aead))
                .withMtuBytes(settings.mtuBytes())
                .withDnsResources(DnsResourceConfig.DEFAULT.withRefusedTargets(hostAddresses()))
                .withGatewayServices(GatewayServices.of(settings.allowToGateway()));
        if (settings.nat64Prefix() != null) {
            config = config.withNat64Prefix(Nat64Prefix.parse(settings.nat64Prefix().toString()));
        }
        return config;
    }

    /**
     * Every address of the host's interfaces, as /32 and /128 ranges: no DNS resource may be translated to
     * the gateway host itself (read once at start; an address the host gains later is not in it).
     */
    static List<Cidr> hostAddresses() {
        Set<Cidr> ranges = new LinkedHashSet<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    String literal = a.getHostAddress();
                    int scope = literal.indexOf('%');
                    ranges.add(Cidr.parse(scope < 0 ? literal : literal.substring(0, scope)));
                }
            }
        } catch (SocketException e) {
            Logger.warn("cannot list the host's addresses ({}): DNS resources may resolve to them", e.getMessage());
        }
        return List.copyOf(ranges);
    }
}
