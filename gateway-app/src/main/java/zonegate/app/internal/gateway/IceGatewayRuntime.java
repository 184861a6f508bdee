package zonegate.app.internal.gateway;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.tinylog.Logger;
import zonegate.app.internal.dns.Resolution;
import zonegate.app.internal.dns.UpstreamConfig;
import zonegate.app.internal.dns.UpstreamResolver;
import zonegate.app.internal.portal.PortalConnector;
import zonegate.app.internal.portal.PortalConnector.PortalConnection;
import zonegate.app.internal.portal.PortalInbox;
import zonegate.controlplane.PortalEvent;
import zonegate.app.spi.InterfaceAddress;
import zonegate.filter.ClientId;
import zonegate.filter.TunnelAddresses;
import zonegate.nat64.Addresses;
import zonegate.node.NodeConfig;
import zonegate.wireguard.AeadChoice;
import zonegate.packet.BufferPool;
import zonegate.shell.io.LinkControl;
import zonegate.shell.io.NativeIoException;
import zonegate.shell.io.TunDevice;
import zonegate.shell.io.UdpSocket;
import zonegate.shell.loop.EventLoop;
import zonegate.tunnel.DnsResourceConfig;
import zonegate.tunnel.GatewayConfig;
import zonegate.tunnel.IceGatewayState;
import zonegate.wireguard.PrivateKey;

/**
 * A running gateway in ICE mode: it connects out to the portal, takes its tunnel addresses from the first
 * {@code init}, then creates its TUN device and one UDP socket per family on an ephemeral port (no inbound port:
 * clients reach it through the holes their connections punch, or through a relay) and runs
 * {@link IceGatewayState} on the event loop. A fresh WireGuard key every start (the portal hands it to clients).
 *
 * <p>{@link #close()}: a goodbye to every client, flushed for at most 1 s, then the device, the sockets and the
 * portal connection close.
 */
public final class IceGatewayRuntime implements AutoCloseable {
    /** How long the gateway waits for the portal's first init before it gives up starting. */
    public static final Duration INIT_TIMEOUT = Duration.ofSeconds(30);
    private static final int POOL_BUFFERS = 8192;
    private static final int BUFFER_BYTES = 2048;
    private static final int MTU_BYTES = 1280;
    private static final int TUNNEL_IPV4_PREFIX_BITS = 11;
    private static final int TUNNEL_IPV6_PREFIX_BITS = 107;

    /** Where and how to reach the portal, WireGuard's transport AEAD and whether the TUN device uses offloads. */
    public record Options(URI portal, String token, Optional<Path> portalCa, String name, String interfaceName,
            List<InetAddress> upstreamDns, AeadChoice aead, boolean tunOffload) {
    }

    /** Why the gateway did not start: the portal refused it, or something else went wrong. */
    public static final class StartFailure extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean refused;

        StartFailure(String message, boolean refused) {
            super(message);
            this.refused = refused;
        }

        /** The portal refused the token. */
        public boolean refused() {
            return refused;
        }
    }

    private final PortalConnection portal;
    private final PortalInbox inbox;
    private final EventLoop loop;
    private final UpstreamResolver resolver;

    private IceGatewayRuntime(PortalConnection portal, PortalInbox inbox, EventLoop loop, UpstreamResolver resolver) {
        this.portal = portal;
        this.inbox = inbox;
        this.loop = loop;
        this.resolver = resolver;
    }

    /**
     * Connects to the portal, waits for its init and starts the gateway. The caller has checked CAP_NET_ADMIN.
     *
     * @param onRefused run (once, on another thread) if the portal refuses the token later (a reload)
     */
    public static IceGatewayRuntime start(Options options, PortalConnector connector, Runnable onRefused)
            throws IOException, StartFailure, InterruptedException {
        SecureRandom secure = new SecureRandom();
        PrivateKey key = PrivateKey.generate(secure);
        InetAddress portalHost = portalAddress(options.portal());
        List<UdpSocket> sockets = new ArrayList<>(2);
        List<InetSocketAddress> socketAddresses = new ArrayList<>(2);
        PortalInbox inbox = new PortalInbox();
        PortalConnection portal = null;
        TunDevice device = null;
        try {
            openSocket(new InetSocketAddress("0.0.0.0", 0), routeSource(portalHost, "192.0.2.1"), sockets,
                    socketAddresses);
            openSocket(new InetSocketAddress("::", 0), routeSource(portalHost, "2001:db8::1"), sockets, socketAddresses);
            if (sockets.isEmpty()) {
                throw new IOException("no address to reach the portal " + portalHost.getHostAddress() + " from");
            }
            BufferPool pool = new BufferPool(BUFFER_BYTES, POOL_BUFFERS, true);
            IceGatewayState state = new IceGatewayState(placeholderConfig(), NodeConfig.server().withAead(options.aead()), key, socketAddresses,
                    InstantSource.system(), secure, new SplittableRandom(secure.nextLong()), pool, System.nanoTime());
            portal = connector.connect(options.portal(), "gateway", options.token(),
                    Map.of("name", List.of(options.name()), "public_key", List.of(state.publicKey().toBase64())),
                    options.portalCa(), inbox);
            awaitInit(inbox, options.portal());
            device = TunDevice.open(options.interfaceName(), 1, options.tunOffload());
            LinkControl.setMtu(device.name(), MTU_BYTES);
            LinkControl.setUp(device.name());
            UpstreamResolver resolver = new UpstreamResolver(UpstreamConfig.of(options.upstreamDns()));
            EventLoop[] loopRef = new EventLoop[1];
            String deviceName = device.name();
            IceGatewayDriver driver = new IceGatewayDriver(state, socketAddresses, portal,
                    new Shell(deviceName, resolver, () -> loopRef[0], onRefused));
            EventLoop loop = EventLoop.create(DataPathLoop.CONFIG, driver, pool, device, sockets);
            loopRef[0] = loop;
            loop.start();
            inbox.attach(loop::submit);
            Logger.info("gateway in ICE mode: portal {}, interface {}, sockets {}, public key {}", options.portal(),
                    deviceName, socketAddresses, state.publicKey());
            return new IceGatewayRuntime(portal, inbox, loop, resolver);
        } catch (IOException | StartFailure | InterruptedException | RuntimeException e) {
            if (portal != null) {
                portal.close();
            }
            sockets.forEach(UdpSocket::close);
            if (device != null) {
                device.close();
            }
            throw e;
        }
    }

    /** The event loop, for its counters. */
    public EventLoop loop() {
        return loop;
    }

    @Override
    public void close() {
        loop.close();
        inbox.detach();
        portal.close();
        resolver.close();
        Logger.info("gateway stopped: {} datagrams in, {} out, {} packets from the device, {} to it",
                loop.counters().datagramsIn(), loop.counters().datagramsOut(),
                loop.counters().devicePacketsIn(), loop.counters().devicePacketsOut());
    }

    private static void awaitInit(PortalInbox inbox, URI portal) throws StartFailure, InterruptedException {
        PortalEvent first;
        try {
            first = inbox.firstInit().get(INIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new StartFailure("no init from the portal " + portal + " within " + INIT_TIMEOUT.toSeconds() + " s",
                    false);
        } catch (ExecutionException e) {
            throw new StartFailure("the portal connection failed: " + e.getCause().getMessage(), false);
        }
        if (first instanceof PortalEvent.Refused(String reason)) {
            throw new StartFailure("the portal " + portal + " refused the token: " + reason, true);
        }
    }

    /** What the driver asks of the shell. */
    private record Shell(String deviceName, UpstreamResolver resolver, java.util.function.Supplier<EventLoop> loop,
            Runnable onRefused) implements IceGatewayDriver.Shell {
        @Override
        public void configureTunnel(TunnelAddresses addresses) {
            try {
                GatewayRuntime.addAddresses(deviceName, List.of(
                        new InterfaceAddress(Addresses.toInet4(addresses.ipv4()), TUNNEL_IPV4_PREFIX_BITS),
                        new InterfaceAddress(Addresses.toInet6(addresses.ipv6High(), addresses.ipv6Low()),
                                TUNNEL_IPV6_PREFIX_BITS)));
                Logger.info("interface {}: tunnel addresses {}", deviceName, addresses);
            } catch (NativeIoException e) {
                Logger.error("interface {}: cannot set the tunnel addresses {}: {}", deviceName, addresses,
                        e.getMessage());
            }
        }

        @Override
        public void resolve(ClientId client, String domain) {
            Thread.ofVirtual().name("resolve-" + domain).start(() -> {
                List<InetAddress> addresses = switch (resolver.resolve(domain)) {
                    case Resolution.Addresses(List<InetAddress> found, long ttl) -> found;
                    case Resolution.NoAddresses n -> List.of();
                    case Resolution.Failed f -> null;
                };
                loop.get().submit(new IceGatewayDriver.DomainResolved(client, domain, addresses));
            });
        }

        @Override
        public void refused(String reason) {
            Logger.error("the portal refused the gateway's token: {}", reason);
            Thread.ofVirtual().start(onRefused);
        }
    }

    /**
     * Until the first init (which the runtime waits for before the state machine sees any input) the state needs
     * some tunnel addresses: these are replaced by the portal's before any client exists.
     */
    private static GatewayConfig placeholderConfig() {
        return GatewayConfig.defaults((Inet4Address) InetAddress.ofLiteral("100.64.0.1"),
                        (Inet6Address) InetAddress.ofLiteral("fd00:2021:1111::1"))
                .withMtuBytes(MTU_BYTES)
                .withDnsResources(DnsResourceConfig.DEFAULT.withRefusedTargets(GatewayRuntime.hostAddresses()));
    }

    private static void openSocket(InetSocketAddress bind, Optional<InetAddress> source, List<UdpSocket> sockets,
            List<InetSocketAddress> addresses) {
        if (source.isEmpty()) {
            return;
        }
        try {
            UdpSocket socket = UdpSocket.open(bind, UdpSocket.DEFAULT_BUFFER_BYTES);
            sockets.add(socket);
            addresses.add(new InetSocketAddress(source.get(), socket.localAddress().getPort()));
        } catch (NativeIoException e) {
            Logger.warn("no UDP socket on {} ({})", bind, e.getMessage());
        }
    }

    /**
     * The address the kernel would send from towards the portal (or, for the other family, towards a
     * documentation address): connecting a UDP socket only picks the route, it sends nothing.
     */
    private static Optional<InetAddress> routeSource(InetAddress portalHost, String sameFamilyProbe) {
        InetAddress probe = InetAddress.ofLiteral(sameFamilyProbe);
        InetAddress target = portalHost.getClass() == probe.getClass() ? portalHost : probe;
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(target, 9);
            InetAddress local = socket.getLocalAddress();
            return local == null || local.isAnyLocalAddress() ? Optional.empty() : Optional.of(local);
        } catch (SocketException | java.io.UncheckedIOException e) {
            return Optional.empty();
        }
    }

    private static InetAddress portalAddress(URI portal) throws IOException {
        if (portal.getHost() == null) {
            throw new IOException("the portal URL " + portal + " has no host");
        }
        return InetAddress.getByName(portal.getHost());
    }
}
