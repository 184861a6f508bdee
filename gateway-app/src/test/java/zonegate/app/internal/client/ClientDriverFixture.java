package zonegate.app.internal.client;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import zonegate.controlplane.PortalEvent;
import zonegate.app.internal.portal.PortalLink;
import zonegate.controlplane.Frame;
import zonegate.controlplane.PortalMessage;
import zonegate.controlplane.Wire;
import zonegate.filter.Cidr;
import zonegate.node.NodeConfig;
import zonegate.packet.BufferPool;
import zonegate.packet.PooledBuffer;
import zonegate.shell.io.Rtnetlink;
import zonegate.shell.loop.Outbound;
import zonegate.tunnel.ClientState;
import zonegate.tunnel.DnsRecords;
import zonegate.wireguard.PrivateKey;
import zonegate.wireguard.PublicKey;

/**
 * A {@link ClientDriver} over a real {@link ClientState} (seeded, manual time) with everything around it
 * recorded: the portal link, the device settings, the host's DNS and the loop's outbound queues.
 */
final class ClientDriverFixture {
    static final String OWN4 = "100.64.0.7";
    static final String OWN6 = "fd00:2021:1111::7";
    static final InetSocketAddress NODE4 = new InetSocketAddress(InetAddress.ofLiteral("198.51.100.7"), 52625);
    static final InetAddress PORTAL = InetAddress.ofLiteral("203.0.113.80");
    static final int NODE4_INDEX = 0;
    static final int DNS4_INDEX = 1;

    record Datagram(int socket, InetSocketAddress destination, byte[] bytes) {
    }

    final BufferPool pool = new BufferPool(2048, 512, false);
    final List<PortalMessage> sent = new ArrayList<>();
    final List<String> device = new ArrayList<>();
    final List<List<InetAddress>> dnsWrites = new ArrayList<>();
    final List<Datagram> datagrams = new ArrayList<>();
    final List<byte[]> tun = new ArrayList<>();
    final List<String> refusals = new ArrayList<>();
    final List<PublicKey> keys = new ArrayList<>();
    final ClientState state;
    final ClientDriver driver;
    long nowNs = 1_000_000_000L;

    ClientDriverFixture() {
        SplittableRandom random = new SplittableRandom(11);
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        state = new ClientState(NodeConfig.client(), PrivateKey.ofOwned(raw), List.of(NODE4),
                InstantSource.fixed(Instant.ofEpochSecond(1_700_000_000L)), new SecureRandom(new byte[] {1}),
                random.split(), pool, DnsRecords.EMPTY, nowNs);
        PortalLink link = new PortalLink() {
            @Override
            public void send(PortalMessage message) {
                sent.add(message);
            }

            @Override
            public void reply(String ref, PortalMessage message) {
                sent.add(message);
            }
        };
        SystemDns dns = new SystemDns() {
            @Override
            public void useServers(List<InetAddress> servers) {
                dnsWrites.add(List.copyOf(servers));
            }

            @Override
            public void restore() {
            }
        };
        DeviceRoutes routes = new DeviceRoutes(new RecordingDevice(), List.of(PORTAL));
        SocketLayout layout = new SocketLayout(NODE4_INDEX, -1, DNS4_INDEX, -1, NODE4, null);
        driver = new ClientDriver(state, link, routes, dns, new DnsForwarder(random.split()), layout,
                new ClientDriver.Host() {
                    @Override
                    public void onPublicKeyChanged(PublicKey publicKey) {
                        keys.add(publicKey);
                    }

                    @Override
                    public void onRefused(String reason) {
                        refusals.add(reason);
                    }
                });
        driver.onStart(outbound(), nowNs);
    }

    /** A fresh recording outbound (a new loop's). */
    Outbound outbound() {
        return new RecordingOutbound();
    }

    /** Hands the driver a frame from the portal. */
    void portal(PortalMessage.ToClient message) {
        driver.onCommand(new PortalEvent.Message(new Frame("client", null, message)), nowNs);
    }

    void init(List<Wire.Resource> resources, List<String> upstreamDns) {
        portal(new PortalMessage.ClientInit(new Wire.Interface(OWN4, OWN6, upstreamDns), resources, List.of()));
    }

    static Wire.Resource cidr(String id, String range) {
        return new Wire.Resource("cidr", id, id, range, "hq", null, List.of());
    }

    static Wire.Resource internet(String id) {
        return new Wire.Resource("internet", id, "Internet", null, "hq", null, List.of());
    }

    /** Writes an IP packet into the TUN side of the driver. */
    void fromTun(byte[] packet) {
        PooledBuffer b = pool.acquire();
        b.buffer().put(packet).flip();
        driver.onDevicePacket(0, b, nowNs);
        pool.release(b);
    }

    /** A datagram arrives on socket {@code index}. */
    void fromNetwork(int index, InetSocketAddress from, byte[] bytes) {
        PooledBuffer b = pool.acquire();
        b.buffer().put(bytes).flip();
        driver.onDatagram(index, from, b, nowNs);
        pool.release(b);
    }

    <T extends PortalMessage> List<T> sentOf(Class<T> type) {
        return sent.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** An IPv4 UDP packet (UDP checksum 0: none). */
    static byte[] udp4(String source, int sourcePort, String destination, int destinationPort, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(28 + payload.length);
        b.put((byte) 0x45).put((byte) 0).putShort((short) b.capacity()).putInt(0).put((byte) 64).put((byte) 17)
                .putShort((short) 0).put(InetAddress.ofLiteral(source).getAddress())
                .put(InetAddress.ofLiteral(destination).getAddress());
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += b.getShort(i) & 0xFFFF;
        }
        sum = (sum & 0xFFFF) + (sum >>> 16);
        b.putShort(10, (short) ~((sum & 0xFFFF) + (sum >>> 16)));
        b.putShort((short) sourcePort).putShort((short) destinationPort).putShort((short) (8 + payload.length))
                .putShort((short) 0).put(payload);
        return b.array();
    }

    private final class RecordingDevice implements DeviceSettings {
        @Override
        public void addAddress(InetAddress address, int prefixBits) {
            device.add("add address " + address.getHostAddress() + "/" + prefixBits);
        }

        @Override
        public void removeAddress(InetAddress address, int prefixBits) {
            device.add("remove address " + address.getHostAddress() + "/" + prefixBits);
        }

        @Override
        public void addRoute(Cidr range, int table) {
            device.add("add route " + range + " table " + table);
        }

        @Override
        public void removeRoute(Cidr range, int table) {
            device.add("remove route " + range + " table " + table);
        }

        @Override
        public void addRule(Rtnetlink.Rule rule) {
            device.add("add rule " + rule.priority());
        }

        @Override
        public void removeRule(Rtnetlink.Rule rule) {
            device.add("remove rule " + rule.priority());
        }
    }

    private final class RecordingOutbound implements Outbound {
        @Override
        public PooledBuffer acquire() {
            return pool.acquire();
        }

        @Override
        public boolean sendDatagram(int socketIndex, InetSocketAddress destination, PooledBuffer datagram) {
            ByteBuffer b = datagram.buffer();
            byte[] bytes = new byte[b.remaining()];
            b.get(b.position(), bytes);
            datagrams.add(new Datagram(socketIndex, destination, bytes));
            pool.release(datagram);
            return true;
        }

        @Override
        public boolean writeToDevice(int flowHash, PooledBuffer packet) {
            ByteBuffer b = packet.buffer();
            byte[] bytes = new byte[b.remaining()];
            b.get(b.position(), bytes);
            tun.add(bytes);
            pool.release(packet);
            return true;
        }

        @Override
        public int socketCount() {
            return 2;
        }

        @Override
        public int deviceQueueCount() {
            return 1;
        }
    }
}
