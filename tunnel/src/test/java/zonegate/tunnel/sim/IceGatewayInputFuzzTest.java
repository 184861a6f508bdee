package zonegate.tunnel.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.tunnel.sim.SimWorld.OFFICE_HOST;
import static zonegate.tunnel.sim.SimWorld.office;
import static zonegate.tunnel.sim.SimWorld.permanent;
import static zonegate.tunnel.sim.TunnelSim.MS;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import zonegate.filter.Authorization;
import zonegate.filter.Cidr;
import zonegate.filter.DnsPattern;
import zonegate.filter.Filter;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;
import zonegate.node.P2pMessage;
import zonegate.tunnel.GatewayDropReason;

/**
 * Arbitrary input to a connected ICE-mode gateway (relayed, both sides behind symmetric NATs): packets
 * inside the client's tunnel (raw bytes, spoofed and shaped ones), datagrams on the gateway's socket from
 * the client's side, the relay and a stranger, packets from the site, AssignedIps with any domain and
 * proxies, time passing, and control-plane commands on the client's other resources. Nothing escapes as an
 * exception (no INTERNAL_ERROR count, no ERROR line), and the client's connection still reaches the office
 * afterwards. Replays {@code src/test/resources/zonegate/tunnel/sim/IceGatewayInputFuzzTestInputs/<method>/};
 * {@code JAZZER_FUZZ=1} fuzzes.
 */
class IceGatewayInputFuzzTest {
    private static final UUID APPS_ID = UUID.fromString("5a0c9e1f-3b2d-4c6e-8f7a-9b0c1d2e3f40");
    private static final Resource APPS = new Resource.Dns(ResourceId.of(APPS_ID.toString()),
            DnsPattern.of("*.example.com"));
    private static final Resource LAB = new Resource.CidrRange(ResourceId.of("lab"), Cidr.parse("10.30.0.0/16"));
    private static final InetSocketAddress STRANGER = TunnelSim.address("192.0.2.200", 9999);
    private static final String[] V4 = {OFFICE_HOST, "10.30.0.1", "100.96.0.1", "100.64.0.1", "100.64.0.11",
            "10.1.2.3", "1.1.1.1", "224.0.0.1", "255.255.255.255"};
    private static final String[] V6 = {"fd00:2021:1111:8000::1", "fd00:2021:1111::1", "fd00:2021:1111::11",
            "2606:4700::1111", "ff02::1", "::1"};

    @FuzzTest(maxDuration = "30s")
    void arbitraryInputNeverEscapesAndTheConnectionStillWorks(byte[] data) {
        long mark = NoErrorLogs.mark();
        SimWorld w = SimWorld.connected(1201, Nat.Type.SYMMETRIC, Nat.Type.SYMMETRIC, permanent(office()),
                permanent(LAB), permanent(APPS));
        w.gateway().resolver.put("app.example.com", List.of(SimPackets.ip("10.20.0.7")));

        new Script(data, w).run();
        w.net().runFor(100 * MS);

        assertThat(w.gateway().state.dropCount(GatewayDropReason.INTERNAL_ERROR)).isZero();
        assertThat(NoErrorLogs.since(mark)).noneMatch(l -> l.startsWith("ERROR"));
        if (w.clientConnected() && w.gateway().state.connectionState(w.client().spec.id()) != null) {
            List<byte[]> pong = w.roundTrip(SimPackets.echoRequest(w.client().ipv4, OFFICE_HOST, 4242, 1));
            assertThat(pong).anyMatch(SimPackets::isEchoReply);
        }
    }

    /** Interprets the fuzz input: each step is an opcode byte and its operands (zeros once exhausted). */
    private static final class Script {
        private final byte[] data;
        private final SimWorld w;
        private int at;

        Script(byte[] data, SimWorld w) {
            this.data = data;
            this.w = w;
        }

        void run() {
            for (int step = 0; step < 48 && at < data.length; step++) {
                switch (u8() % 9) {
                    case 0 -> w.client().send(w.gateway(), bytes(u8() * 2));
                    case 1 -> w.client().send(w.gateway(), shapedPacket());
                    case 2 -> w.gateway().receive(from(), ByteBuffer.wrap(bytes(u8() * 3)), w.net().nowNs);
                    case 3 -> w.gateway().state.handleDeviceInput(ByteBuffer.wrap(bytes(u8() * 2)), w.net().nowNs);
                    case 4 -> w.gateway().state.handleDeviceInput(ByteBuffer.wrap(SimPackets.udp(OFFICE_HOST, u16(),
                            w.client().ipv4, u16(), bytes(u8() % 32))), w.net().nowNs);
                    case 5 -> w.net().runFor(u8() * 41L * MS);
                    case 6 -> assignedIps();
                    case 7 -> command();
                    default -> w.client().send(w.gateway(), SimPackets.echoRequest(w.client().ipv4, OFFICE_HOST, 1, step));
                }
                w.net().settle();
            }
        }

        private InetSocketAddress from() {
            return switch (u8() % 3) {
                case 0 -> new InetSocketAddress(w.client().nat.publicIp, 40000 + u8() % 8);
                case 1 -> w.relay().listen();
                default -> STRANGER;
            };
        }

        private byte[] shapedPacket() {
            boolean v4 = u8() % 3 != 0;
            String source = switch (u8() % 4) {
                case 0 -> v4 ? "100.64.0.99" : "fd00:2021:1111::99";
                default -> v4 ? w.client().ipv4 : w.client().ipv6;
            };
            String destination = v4 ? V4[u8() % V4.length] : V6[u8() % V6.length];
            return switch (u8() % 5) {
                case 0 -> SimPackets.tcp(source, u16(), destination, u16(), u16(), u16(), u8());
                case 1 -> SimPackets.udp(source, u16(), destination, u16(), bytes(u8() % 64));
                case 2 -> SimPackets.echoRequest(source, destination, u16(), u16());
                case 3 -> rawIp(v4, source, destination);
                default -> SimPackets.tcpSyn(source, u16(), destination, 443);
            };
        }

        /** A header of the right version with any protocol and transport bytes, checksums as they fall. */
        private byte[] rawIp(boolean v4, String source, String destination) {
            byte[] transport = bytes(u8() % 80);
            int header = v4 ? 20 : 40;
            ByteBuffer b = ByteBuffer.allocate(header + transport.length);
            if (v4) {
                b.put(0, (byte) 0x45).putShort(2, (short) b.capacity()).putShort(6, (short) (u8() << 8 | u8()))
                        .put(8, (byte) 64).put(9, (byte) u8()).put(12, SimPackets.ip(source).getAddress())
                        .put(16, SimPackets.ip(destination).getAddress());
            } else {
                b.put(0, (byte) 0x60).putShort(4, (short) transport.length).put(6, (byte) u8()).put(7, (byte) 64)
                        .put(8, SimPackets.ip(source).getAddress()).put(24, SimPackets.ip(destination).getAddress());
            }
            b.put(header, transport);
            return b.array();
        }

        private void assignedIps() {
            String domain = switch (u8() % 4) {
                case 0 -> "app.example.com";
                case 1 -> "x" + u8() + ".example.com";
                default -> new String(bytes(u8() % 80), StandardCharsets.ISO_8859_1);
            };
            List<InetAddress> proxies = new ArrayList<>();
            int n = u8() % 9;
            for (int i = 0; i < n; i++) {
                proxies.add(switch (u8() % 3) {
                    case 0 -> SimPackets.ip("100.96." + u8() + "." + u8());
                    case 1 -> SimPackets.ip("fd00:2021:1111:8000::" + Integer.toHexString(u16()));
                    default -> SimPackets.ip("10.0.0." + u8());
                });
            }
            UUID resource = u8() % 4 == 0 ? new UUID(u16(), u16()) : APPS_ID;
            try {
                w.client().sendControl(w.gateway(), new P2pMessage.AssignedIps(resource, domain, proxies));
            } catch (IllegalArgumentException tooLong) {
                // the client's own check: a domain too long for one control message
            }
        }

        private void command() {
            long now = w.net().nowNs;
            var gateway = w.gateway().state;
            switch (u8() % 5) {
                case 0 -> gateway.resourceUpdated(LAB, filters(), now);
                case 1 -> gateway.rejectAccess(w.client().spec.id(), LAB.id(), now);
                case 2 -> w.net().controlPlane.authorize(w.client(), w.gateway(),
                        new Authorization(u8() % 2 == 0 ? LAB : APPS, filters(), w.net().wallSeconds() + 1 + u8()));
                case 3 -> gateway.domainResolved(w.client().spec.id(), u8() % 2 == 0 ? "app.example.com" : "x" + u8()
                        + ".example.com", u8() % 3 == 0 ? null : List.of(SimPackets.ip(V4[u8() % V4.length]),
                        SimPackets.ip(V6[u8() % V6.length])), now);
                default -> {
                    if (u8() % 2 == 0) {
                        w.net().controlPlane.disconnect(w.gateway());
                    } else {
                        w.net().controlPlane.reconnect(w.gateway());
                    }
                }
            }
        }

        private List<Filter> filters() {
            List<Filter> filters = new ArrayList<>();
            int n = u8() % 4;
            for (int i = 0; i < n; i++) {
                int from = u16();
                int to = Math.min(65535, from + u8());
                filters.add(switch (u8() % 3) {
                    case 0 -> new Filter.Tcp(from, to);
                    case 1 -> new Filter.Udp(from, to);
                    default -> new Filter.Icmp();
                });
            }
            return filters;
        }

        private int u8() {
            return at < data.length ? data[at++] & 0xFF : 0;
        }

        private int u16() {
            return u8() << 8 | u8();
        }

        private byte[] bytes(int n) {
            byte[] b = new byte[n];
            for (int i = 0; i < n; i++) {
                b[i] = (byte) u8();
            }
            return b;
        }
    }
}
