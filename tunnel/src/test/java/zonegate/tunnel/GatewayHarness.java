package zonegate.tunnel;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import zonegate.filter.ClientId;
import zonegate.filter.TunnelAddresses;
import zonegate.packet.BufferPool;
import zonegate.packet.IpPacket;
import zonegate.packet.PooledBuffer;
import zonegate.wireguard.Action;
import zonegate.wireguard.Device;
import zonegate.wireguard.PeerConfig;
import zonegate.wireguard.PeerRole;
import zonegate.wireguard.PresharedKey;
import zonegate.wireguard.PrivateKey;
import zonegate.wireguard.Tunnel;
import zonegate.wireguard.TunnelResult;
import zonegate.wireguard.WireGuardConfig;

/**
 * A deterministic world around one {@link GatewayState}: a manual clock, an in-memory network to stock
 * WireGuard clients (real {@link Device}s, each with the gateway as an {@link PeerRole#INITIATOR} peer),
 * and on the TUN side a fake host kernel that answers pings and echoes UDP for every resource address.
 * {@link #pump()} moves everything until nothing moves, so each test step is synchronous.
 */
final class GatewayHarness {
    static final long S = 1_000_000_000L;
    static final long EPOCH_SECONDS = 1_700_000_000L;
    static final String GATEWAY_V4 = "100.64.0.1";
    static final String GATEWAY_V6 = "fd00:2021:1111::1";
    static final InetSocketAddress GATEWAY_ENDPOINT = new InetSocketAddress("192.0.2.1", 51820);

    long nowNs = 1_000 * S;
    final InstantSource wallClock = () -> Instant.ofEpochSecond(EPOCH_SECONDS).plusNanos(nowNs);
    final BufferPool pool = new BufferPool(2048, 512, false);
    final GatewayState gateway;
    final List<Client> clients = new ArrayList<>();
    /** Every packet the gateway wrote to the TUN device, in order. */
    final List<byte[]> tun = new ArrayList<>();
    /** Every datagram the gateway sent, in order. */
    final List<byte[]> sent = new ArrayList<>();
    final List<GatewayEvent> events = new ArrayList<>();
    /** The host kernel: what it answers to a packet from the TUN device (null for nothing). */
    Function<byte[], byte[]> kernel = GatewayHarness::answer;
    private final long seed;

    GatewayHarness(long seed) {
        this(seed, UnaryOperator.identity());
    }

    /** A world whose gateway has the default test config changed by {@code configure}. */
    GatewayHarness(long seed, UnaryOperator<GatewayConfig> configure) {
        this.seed = seed;
        PrivateKey key = PrivateKey.generate(new SecureRandom(new byte[] {(byte) seed}) {
            private final SplittableRandom r = new SplittableRandom(seed);

            @Override
            public void nextBytes(byte[] bytes) {
                r.nextBytes(bytes);
            }
        });
        GatewayConfig config = GatewayConfig.defaults((java.net.Inet4Address) Packets.ip(GATEWAY_V4),
                (java.net.Inet6Address) Packets.ip(GATEWAY_V6)).withClientBounds(17, 8);
        config = configure.apply(config);
        gateway = new GatewayState(config, key, wallClock, seeded(seed + 1), new SplittableRandom(seed + 2), pool,
                nowNs);
    }

    static SecureRandom seeded(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        return new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                r.nextBytes(bytes);
            }
        };
    }

    /** A stock WireGuard client: its own device, the gateway as its only (initiator) peer. */
    final class Client {
        final String name;
        final ClientSpec spec;
        final PrivateKey key;
        final Device device;
        final Tunnel tunnel;
        final InetSocketAddress address;
        final String ipv4;
        final String ipv6;
        /** Decrypted packets the client received, in order. */
        final List<byte[]> received = new ArrayList<>();
        private final TunnelResult r = new TunnelResult();
        private final ByteBuffer out = ByteBuffer.allocate(2048);

        Client(String name, int number) {
            this(name, number, null);
        }

        /** A client whose pair with the gateway uses {@code presharedKey} (null: none). */
        Client(String name, int number, PresharedKey presharedKey) {
            this.name = name;
            this.key = PrivateKey.generate(seeded(seed * 100 + number));
            this.ipv4 = "100.64.0." + (10 + number);
            this.ipv6 = "fd00:2021:1111::" + Integer.toHexString(0x10 + number);
            this.address = new InetSocketAddress("198.51.100." + (10 + number), 40000 + number);
            this.spec = new ClientSpec(ClientId.of(name), key.publicKey(), presharedKey == null ? null
                    : presharedKey.copy(), TunnelAddresses.of(ipv4, ipv6));
            this.device = new Device(key, WireGuardConfig.DEFAULT, wallClock, seeded(seed * 100 + number + 50),
                    new SplittableRandom(seed * 100 + number + 70), nowNs);
            this.tunnel = device.addPeer(PeerConfig.of(gateway.publicKey()).withRole(PeerRole.INITIATOR)
                    .withPresharedKey(presharedKey), nowNs);
            tunnel.setEndpoint(GATEWAY_ENDPOINT);
        }

        /** Sends an IP packet through the tunnel (handshaking first if needed), then pumps. */
        void send(byte[] packet) {
            out.clear();
            if (tunnel.encapsulate(ByteBuffer.wrap(packet), out, nowNs, r) == Action.WRITE_TO_NETWORK) {
                toGateway(address, out.flip());
            }
            pump();
        }

        void receive(ByteBuffer datagram) {
            out.clear();
            switch (device.handleDatagram(GATEWAY_ENDPOINT, datagram, out, nowNs, r)) {
                case WRITE_TO_NETWORK -> toGateway(address, out.flip());
                case WRITE_TO_TUNNEL -> {
                    byte[] p = new byte[r.lengthBytes()];
                    out.get(0, p);
                    received.add(p);
                }
                case DONE, QUEUED, DROPPED -> { }
            }
            runTimers();
        }

        void runTimers() {
            while (true) {
                out.clear();
                if (device.handleTimeout(nowNs, out, r) != Action.WRITE_TO_NETWORK) {
                    return;
                }
                toGateway(address, out.flip());
            }
        }

        byte[] lastReceived() {
            return received.isEmpty() ? null : received.getLast();
        }
    }

    Client addClient(String name) {
        return addClient(name, null);
    }

    Client addClient(String name, PresharedKey presharedKey) {
        Client c = new Client(name, clients.size() + 1, presharedKey);
        clients.add(c);
        return c;
    }

    /** Registers the client with the gateway (as a control plane would). */
    Client connectClient(String name) {
        Client c = addClient(name);
        gateway.upsertClient(c.spec, nowNs);
        return c;
    }

    void toGateway(InetSocketAddress from, ByteBuffer datagram) {
        gateway.handleNetworkInput(from, datagram, nowNs);
    }

    /** Moves datagrams, packets and events until nothing moves. */
    void pump() {
        for (int round = 0; round < 1000; round++) {
            boolean moved = false;
            if (gateway.pollTimeout() <= nowNs) {
                gateway.handleTimeout(nowNs);
            }
            for (Transmit t; (t = gateway.pollTransmit()) != null; moved = true) {
                byte[] datagram = drain(t.buffer());
                sent.add(datagram);
                for (Client c : clients) {
                    if (c.address.equals(t.destination())) {
                        c.receive(ByteBuffer.wrap(datagram));
                    }
                }
            }
            for (PooledBuffer p; (p = gateway.pollPacket()) != null; moved = true) {
                byte[] packet = drain(p);
                tun.add(packet);
                byte[] reply = kernel.apply(packet);
                if (reply != null) {
                    gateway.handleDeviceInput(ByteBuffer.wrap(reply), nowNs);
                }
            }
            for (GatewayEvent e; (e = gateway.pollEvent()) != null; ) {
                events.add(e);
            }
            if (!moved) {
                return;
            }
        }
        throw new AssertionError("the world did not settle");
    }

    /** Advances the clock, running every due timer of the gateway and the clients on the way. */
    void advance(long ns) {
        long until = nowNs + ns;
        while (true) {
            long next = Math.min(until, gateway.pollTimeout());
            for (Client c : clients) {
                next = Math.min(next, c.device.nextTimerDeadlineNs());
            }
            nowNs = Math.max(nowNs, next);
            for (Client c : clients) {
                c.runTimers();
            }
            pump();
            if (nowNs >= until) {
                return;
            }
        }
    }

    /** Delivers a packet from the host side to the gateway, as if read from the TUN device. */
    void fromResource(byte[] packet) {
        gateway.handleDeviceInput(ByteBuffer.wrap(packet), nowNs);
        pump();
    }

    private byte[] drain(PooledBuffer b) {
        ByteBuffer buf = b.buffer();
        byte[] bytes = new byte[buf.remaining()];
        buf.get(buf.position(), bytes);
        pool.release(b);
        return bytes;
    }

    /** The host kernel: answers echo requests, echoes UDP back; everything else is only recorded. */
    static byte[] answer(byte[] packet) {
        IpPacket p = Packets.parse(packet);
        if (p.icmpv4() != null && p.icmpv4().isEchoRequest() || p.icmpv6() != null && p.icmpv6().isEchoRequest()) {
            return Packets.echoReply(packet);
        }
        if (p.udp() != null) {
            byte[] payload = new byte[p.udp().payloadLengthBytes()];
            p.buffer().get(p.udp().payloadOffset(), payload);
            return Packets.udp(Packets.destination(packet), p.destinationPort(), Packets.source(packet),
                    p.sourcePort(), payload);
        }
        return null;
    }

    static InetAddress address(String text) {
        return Packets.ip(text);
    }
}
