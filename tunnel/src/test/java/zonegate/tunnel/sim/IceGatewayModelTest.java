package zonegate.tunnel.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.tunnel.sim.SimWorld.OFFICE_HOST;
import static zonegate.tunnel.sim.TunnelSim.MS;
import static zonegate.tunnel.sim.TunnelSim.S;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import zonegate.filter.Authorization;
import zonegate.filter.Cidr;
import zonegate.filter.DnsPattern;
import zonegate.filter.Filter;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;
import zonegate.node.CloseReason;
import zonegate.node.NodeEvent;
import zonegate.node.P2pMessage;
import zonegate.packet.TcpView;
import zonegate.tunnel.AuthorizationRef;

/**
 * Generated action sequences against a reference model: two clients and an ICE-mode gateway behind seeded
 * NATs, a relay, and a control plane that authorises (making the connection when the client has none),
 * rejects, re-inits with a subset of the authorisations and new expiries, updates filters, makes a
 * connection again with new ICE credentials, and loses its link to the gateway for a while (commanding
 * nothing meanwhile, sending the full list again when it is back), while time passes and the clients'
 * stub resolvers assign proxy addresses to a domain of the DNS resource. After every step the gateway
 * holds exactly the clients and authorisations the model holds, a client left with none loses its
 * connection, and every probe (ping, UDP, TCP to the office, the lab, the Internet and a proxy address)
 * gets exactly the answer the model predicts: the site's reply, administratively prohibited or network
 * unreachable. Steps within a second of an expiry are not judged (the instant is the filter engine's, not
 * the model's).
 */
@ExtendWith(NoErrorLogs.class)
@InfoRepeats(40)
class IceGatewayModelTest {
    private static final Resource OFFICE = SimWorld.office();
    private static final Resource LAB = new Resource.CidrRange(ResourceId.of("lab"), Cidr.parse("10.30.0.0/16"));
    private static final Resource INTERNET = new Resource.Internet(ResourceId.of("internet"));
    private static final UUID APPS_ID = UUID.fromString("3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7");
    private static final Resource APPS = new Resource.Dns(ResourceId.of(APPS_ID.toString()),
            DnsPattern.of("*.example.com"));
    private static final String PROXY = "100.96.0.1";
    private static final List<Resource> RESOURCES = List.of(OFFICE, LAB, INTERNET, APPS);
    private static final List<List<Filter>> FILTERS = List.of(List.of(), List.of(new Filter.Icmp()),
            List.of(new Filter.Udp(5000, 5000)), List.of(new Filter.Tcp(443, 443)),
            List.of(new Filter.Tcp(1, 1024), new Filter.Icmp()));
    private static final Nat.Type[] PLACEMENTS = {null, Nat.Type.PORT_RESTRICTED, Nat.Type.SYMMETRIC};

    private enum Kind { PING, UDP_5000, TCP_443, TCP_22 }

    private enum Answer { REPLY, PROHIBITED, UNREACHABLE }

    private record Grant(List<Filter> filters, long expirySeconds) {
    }

    /** A client that lost its last authorisation: its goodbyes then, and when its connection must be gone. */
    private record Loss(long goodbyesBefore, long byNs) {
    }

    /** Consent checks every 25 s, unanswered for the 2 s grace and the retransmits: gone well within 60 s. */
    private static final long LOSS_NS = 60 * S;

    static Stream<Long> seeds() {
        return LongStream.range(0, 16).map(i -> 1600 + i).boxed();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theGatewayFollowsTheModel(long seed) {
        new Run(seed).run(60);
    }

    private static final class Run {
        private final SplittableRandom random;
        private final TunnelSim net;
        private final TunnelSim.Relay relay;
        private final GatewayHost gateway;
        private final List<ClientHost> clients = new ArrayList<>();
        private final Map<ClientHost, Map<Resource, Grant>> grants = new HashMap<>();
        private final Map<Resource, List<Filter>> filters = new HashMap<>();
        private final List<String> log = new ArrayList<>();
        private final Map<ClientHost, Loss> lossDue = new HashMap<>();
        /** Clients whose proxy addresses the gateway translates (until it forgets them). */
        private final Set<ClientHost> translated = new HashSet<>();
        private boolean controlPlaneDown;

        Run(long seed) {
            random = new SplittableRandom(seed);
            net = new TunnelSim(seed);
            relay = net.relay("198.51.100.2");
            gateway = net.gateway("gateway", PLACEMENTS[random.nextInt(PLACEMENTS.length)]);
            gateway.resolver.put("app.example.com", List.of(SimPackets.ip("10.20.0.7")));
            gateway.init(relay);
            for (String name : List.of("alice", "bob")) {
                ClientHost c = net.client(name, PLACEMENTS[random.nextInt(PLACEMENTS.length)]);
                c.useRelays(relay);
                clients.add(c);
                grants.put(c, new LinkedHashMap<>());
            }
            RESOURCES.forEach(r -> filters.put(r, List.of()));
            net.runFor(200 * MS);
        }

        void run(int steps) {
            for (int step = 0; step < steps; step++) {
                ClientHost c = clients.get(random.nextInt(clients.size()));
                Resource r = RESOURCES.get(random.nextInt(RESOURCES.size()));
                int action = random.nextInt(12);
                if (controlPlaneDown && action <= 5 || controlPlaneDown && action == 7) {
                    action = 6; // the control plane cannot command while the gateway's link to it is down
                }
                Set<ClientHost> holding = new HashSet<>();
                clients.stream().filter(x -> !grants.get(x).isEmpty()).forEach(holding::add);
                switch (action) {
                    case 0, 1, 2 -> authorize(c, r);
                    case 3 -> reject(c, r);
                    case 4 -> init();
                    case 5 -> update(r);
                    case 6 -> advance();
                    case 7 -> reconnect(c);
                    case 8 -> controlPlaneLink();
                    case 9 -> assign(connectedOr(c));
                    default -> probe(connectedOr(c));
                }
                net.runFor(300 * MS);
                check(holding);
            }
        }

        private void authorize(ClientHost c, Resource r) {
            long expiry = random.nextInt(10) < 7 ? Authorization.NEVER : net.wallSeconds() + 5 + random.nextInt(55);
            Authorization a = new Authorization(r, filters.get(r), expiry);
            log.add("authorize " + c + " " + r.id() + " until " + expiry);
            boolean hadConnection = c.node.state(gateway.name) != null && !grants.get(c).isEmpty();
            grants.get(c).put(r, new Grant(filters.get(r), expiry));
            if (hadConnection) {
                net.controlPlane.authorize(c, gateway, a);
            } else {
                net.controlPlane.connect(c, gateway, a);
                new SimWorld(net, relay, gateway, c).awaitClientConnected();
            }
        }

        /** The control plane makes a held connection again (new ICE credentials) with all its authorisations. */
        private void reconnect(ClientHost c) {
            if (grants.get(c).isEmpty() || ambiguous()) {
                return;
            }
            log.add("reconnect " + c);
            net.controlPlane.connect(c, gateway, grants.get(c).entrySet().stream()
                    .map(e -> new Authorization(e.getKey(), e.getValue().filters(), e.getValue().expirySeconds()))
                    .toArray(Authorization[]::new));
            new SimWorld(net, relay, gateway, c).awaitClientConnected();
        }

        /** A client holding authorisations, {@code c} if it does. */
        private ClientHost connectedOr(ClientHost c) {
            return grants.get(c).isEmpty() ? clients.stream().filter(x -> !grants.get(x).isEmpty()).findFirst()
                    .orElse(c) : c;
        }

        /**
         * The client's stub resolver assigns proxy addresses to app.example.com: DomainStatus active when it
         * holds the DNS resource (the site's resolver answers 10.20.0.7), inactive at once otherwise (and an
         * earlier translation is kept).
         */
        private void assign(ClientHost c) {
            if (grants.get(c).isEmpty() || ambiguous()) {
                return;
            }
            boolean expected = grants.get(c).containsKey(APPS);
            log.add("assign " + c + " expecting " + (expected ? "active" : "inactive"));
            int before = c.controlMessages(P2pMessage.DomainStatus.class).size();
            List<InetAddress> proxies = new ArrayList<>();
            for (int i = 1; i <= 4; i++) {
                proxies.add(SimPackets.ip("100.96.0." + i));
                proxies.add(SimPackets.ip("fd00:2021:1111:8000::" + i));
            }
            if (!c.sendControl(gateway, new P2pMessage.AssignedIps(APPS_ID, "app.example.com", proxies))) {
                log.add("no session to carry it (idle past its life): not sent");
                return;
            }
            net.runFor(300 * MS);
            var statuses = c.controlMessages(P2pMessage.DomainStatus.class);
            assertThat(statuses.subList(before, statuses.size())).as(history()).singleElement()
                    .satisfies(x -> assertThat(x.active()).isEqualTo(expected));
            if (expected) {
                translated.add(c);
            }
        }

        /** The gateway's control-plane link goes down, or comes back and gets the full list again (init). */
        private void controlPlaneLink() {
            controlPlaneDown = !controlPlaneDown;
            log.add(controlPlaneDown ? "control plane down" : "control plane up");
            if (controlPlaneDown) {
                net.controlPlane.disconnect(gateway);
            } else {
                net.controlPlane.reconnect(gateway);
                init();
            }
        }

        private void reject(ClientHost c, Resource r) {
            log.add("reject " + c + " " + r.id());
            gateway.state.rejectAccess(c.spec.id(), r.id(), net.nowNs);
            grants.get(c).remove(r);
        }

        private void init() {
            List<AuthorizationRef> listed = new ArrayList<>();
            for (ClientHost c : clients) {
                for (var e : List.copyOf(grants.get(c).entrySet())) {
                    int choice = random.nextInt(10);
                    if (choice < 2) {
                        grants.get(c).remove(e.getKey());
                        continue;
                    }
                    long expiry = choice < 4 ? net.wallSeconds() + 5 + random.nextInt(55) : e.getValue().expirySeconds();
                    grants.get(c).put(e.getKey(), new Grant(e.getValue().filters(), expiry));
                    listed.add(new AuthorizationRef(c.spec.id(), e.getKey().id(), expiry));
                }
            }
            log.add("init " + listed);
            gateway.init(listed, relay);
        }

        private void update(Resource r) {
            List<Filter> f = FILTERS.get(random.nextInt(FILTERS.size()));
            log.add("update " + r.id() + " " + f);
            filters.put(r, f);
            gateway.state.resourceUpdated(r, f, net.nowNs);
            grants.values().forEach(g -> g.computeIfPresent(r, (k, v) -> new Grant(f, v.expirySeconds())));
        }

        private void advance() {
            int seconds = 1 + random.nextInt(30);
            log.add("advance " + seconds + " s");
            net.runFor(seconds * S);
        }

        private void probe(ClientHost c) {
            if (grants.get(c).isEmpty() || ambiguous()) {
                return;
            }
            Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
            String destination = List.of(OFFICE_HOST, "10.30.0.1", "1.1.1.1", PROXY).get(random.nextInt(4));
            Answer expected = expected(c, kind, destination);
            log.add("probe " + c + " " + kind + " " + destination + " expecting " + expected);
            byte[] packet = switch (kind) {
                case PING -> SimPackets.echoRequest(c.ipv4, destination, 7, log.size());
                case UDP_5000 -> SimPackets.udp(c.ipv4, 40000, destination, 5000, new byte[] {(byte) log.size()});
                case TCP_443 -> SimPackets.tcpSyn(c.ipv4, 40000 + log.size(), destination, 443);
                case TCP_22 -> SimPackets.tcpSyn(c.ipv4, 40000 + log.size(), destination, 22);
            };
            SimWorld w = new SimWorld(net, relay, gateway, c);
            List<byte[]> answers = w.roundTrip(packet);
            assertThat(answers).as(history()).singleElement().satisfies(p -> {
                switch (expected) {
                    case REPLY -> {
                        assertThat(SimPackets.source(p)).isEqualTo(destination);
                        assertThat(SimPackets.checksumsValid(p)).isTrue();
                        assertThat(kind != Kind.PING || SimPackets.isEchoReply(p)).isTrue();
                        assertThat(kind != Kind.TCP_443 && kind != Kind.TCP_22
                                || SimPackets.tcpFlags(p) == (TcpView.SYN | TcpView.ACK)).isTrue();
                    }
                    case PROHIBITED -> assertThat(List.of(SimPackets.icmpType(p), SimPackets.icmpCode(p)))
                            .containsExactly(3, 13);
                    case UNREACHABLE -> assertThat(List.of(SimPackets.icmpType(p), SimPackets.icmpCode(p)))
                            .containsExactly(3, 0);
                }
            });
        }

        private Answer expected(ClientHost c, Kind kind, String destination) {
            Map<Resource, Grant> held = grants.get(c);
            if (destination.equals(PROXY) && (!translated.contains(c) || !held.containsKey(APPS))) {
                return Answer.UNREACHABLE;
            }
            Resource route = destination.equals(PROXY) ? APPS
                    : destination.startsWith("10.20.") && held.containsKey(OFFICE) ? OFFICE
                    : destination.startsWith("10.30.") && held.containsKey(LAB) ? LAB
                    : destination.equals("1.1.1.1") && held.containsKey(INTERNET) ? INTERNET : null;
            if (route == null) {
                return Answer.UNREACHABLE;
            }
            List<Filter> f = held.get(route).filters();
            boolean allowed = f.isEmpty() || f.stream().anyMatch(x -> switch (x) {
                case Filter.Icmp i -> kind == Kind.PING;
                case Filter.Udp(int from, int to) -> kind == Kind.UDP_5000 && from <= 5000 && 5000 <= to;
                case Filter.Tcp(int from, int to) -> {
                    int port = kind == Kind.TCP_443 ? 443 : kind == Kind.TCP_22 ? 22 : -1;
                    yield port >= from && port <= to;
                }
            });
            return allowed ? Answer.REPLY : Answer.PROHIBITED;
        }

        /** Whether an expiry is within a second of now: the step is not judged. */
        private boolean ambiguous() {
            long now = net.wallSeconds();
            return grants.values().stream().flatMap(g -> g.values().stream())
                    .anyMatch(g -> g.expirySeconds() != Authorization.NEVER && Math.abs(g.expirySeconds() - now) <= 1);
        }

        /**
         * Drops what expired (the gateway ran its expiry at the exact instant), then, unless an expiry is
         * within a second of now, compares the gateway with the model. A client left with no authorisation
         * gets a goodbye, or, when its WireGuard session had expired (idle past 180 s: nothing can carry a
         * goodbye), loses its connection to unanswered consent checks within {@link #LOSS_NS}.
         */
        /** @param holding the clients that held an authorisation before the step */
        private void check(Set<ClientHost> holding) {
            long now = net.wallSeconds();
            for (ClientHost c : clients) {
                Map<Resource, Grant> held = grants.get(c);
                boolean had = holding.contains(c);
                held.values().removeIf(g -> g.expirySeconds() <= now);
                if (had && held.isEmpty()) {
                    log.add(c + " has no authorisation left");
                    translated.remove(c);
                    lossDue.put(c, new Loss(goodbyes(c), net.nowNs + LOSS_NS));
                }
            }
            if (ambiguous()) {
                return;
            }
            for (ClientHost c : clients) {
                Map<Resource, Grant> held = grants.get(c);
                assertThat(gateway.state.authorizationCount(c.spec.id())).as(history())
                        .isEqualTo(held.isEmpty() ? -1 : held.size());
                Loss loss = lossDue.get(c);
                if (loss != null && !held.isEmpty()) {
                    lossDue.remove(c);
                } else if (loss != null && (goodbyes(c) > loss.goodbyesBefore() || net.nowNs >= loss.byNs())) {
                    assertThat(c.node.state(gateway.name)).as(history()).isNull();
                    lossDue.remove(c);
                }
            }
            assertThat(gateway.state.clientCount()).as(history())
                    .isEqualTo((int) clients.stream().filter(c -> !grants.get(c).isEmpty()).count());
        }

        private long goodbyes(ClientHost c) {
            return c.eventsOf(NodeEvent.ConnectionClosed.class).stream()
                    .filter(x -> x.reason() == CloseReason.GOODBYE_RECEIVED).count();
        }

        private String history() {
            return String.join("\n", log);
        }
    }
}
