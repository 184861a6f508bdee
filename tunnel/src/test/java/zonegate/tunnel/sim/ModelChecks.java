package zonegate.tunnel.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import zonegate.filter.Cidr;
import zonegate.packet.TcpView;
import zonegate.tunnel.ClientEvent;
import zonegate.tunnel.SiteStatus;
import zonegate.tunnel.TunConfig;
import zonegate.tunnel.dns.DnsAnswersParser;
import zonegate.tunnel.dns.DnsAnswersResult;
import zonegate.tunnel.dns.DnsQuery;
import zonegate.tunnel.dns.DnsQueryWriter;
import zonegate.tunnel.dns.DnsRcode;

/**
 * The invariants of a {@link ModelRun}, checked after every action: the probe's packet arrived once at the
 * right host with the right addresses and payload and its answer came back, or exactly the expected ICMP
 * error quoting it came back, or nothing at all; nothing else reached a site or the client's TUN device;
 * a DNS query got the modelled answer (local or forwarded, proxy addresses stable per name, disjoint
 * across names, from the proxy ranges); the client's routes, DNS servers and site statuses equal the
 * model's; connections the model expects to go away are gone by their deadline.
 */
final class ModelChecks {
    /** A DNS answer: its rcode, whether it was forwarded, its addresses (null: new proxies), a PTR name. */
    record DnsExpectation(DnsRcode rcode, boolean forwarded, List<InetAddress> addresses, String ptr) {
    }

    private record PendingProbe(byte[] packet, ModelUniverse.Kind kind, DataPlaneModel.Outcome outcome) {
    }

    private record PendingDns(int id, String name, int type, DnsExpectation expected, int queriesBefore) {
    }

    private final ModelRun run;
    private final Map<String, Integer> siteMarks = new HashMap<>();
    private int tunMark;
    private PendingProbe probe;
    private PendingDns dns;
    private Set<Cidr> baseRoutes;

    ModelChecks(ModelRun run) {
        this.run = run;
    }

    void afterStart() {
        TunConfig tun = run.alice.latest(ClientEvent.TunConfigChanged.class).config();
        Set<Cidr> routes = new HashSet<>(tun.routes());
        routes.removeAll(cidrRoutes());
        baseRoutes = Set.copyOf(routes);
        assertThat(baseRoutes).as("the proxy and sentinel ranges are routed")
                .contains(Cidr.parse("100.96.0.0/11"), Cidr.parse("100.100.111.0/24"));
        marks();
        afterAction();
    }

    void clientRestarted() {
        tunMark = 0;
    }

    void gatewayReplaced(GatewayHost old, GatewayHost next) {
        assertThat(old.site.received.size()).as(run.history()).isEqualTo(siteMarks.get(old.name));
        siteMarks.put(next.name, 0);
    }

    void expectProbe(byte[] packet, ModelUniverse.Kind kind, DataPlaneModel.Outcome outcome) {
        probe = new PendingProbe(packet, kind, outcome);
    }

    void expectDns(int id, String name, int type, DnsExpectation expected) {
        dns = new PendingDns(id, name, type, expected, run.alice.eventsOf(ClientEvent.DnsQuery.class).size());
    }

    void afterAction() {
        DataPlaneModel model = run.model;
        model.expire(run.net.wallSeconds(), run.net.nowNs);
        model.resetOffline(run.net.nowNs);
        settle();
        List<byte[]> tun = List.copyOf(run.alice.tun.subList(tunMark, run.alice.tun.size()));
        Map<String, List<byte[]>> sites = new HashMap<>();
        run.gateways.forEach((name, g) -> sites.put(name, List.copyOf(g.site.received.subList(siteMarks.get(name),
                g.site.received.size()))));
        if (probe != null) {
            judgeProbe(probe, tun, sites);
        } else if (dns != null) {
            judgeDns(dns, tun);
        } else {
            assertThat(tun).as("nothing unexpected at the client\n" + run.history()).isEmpty();
        }
        if (probe == null) {
            sites.forEach((name, packets) -> assertThat(packets).as("nothing unexpected at " + name + "\n"
                    + run.history()).isEmpty());
        }
        probe = null;
        dns = null;
        marks();
        checkTunConfig();
        checkSites();
        checkDeadlines();
    }

    /**
     * The clock only goes forward: every machine's next deadline lies after now (the simulation ran every
     * one due, so a deadline at or before now is one set in the past, which would be run late).
     */
    private void checkDeadlines() {
        for (SimHost h : run.net.hosts) {
            assertThat(h.pollTimeout()).as("the next deadline of " + h.name() + "\n" + run.history())
                    .isGreaterThan(run.net.nowNs);
        }
        for (TunnelSim.Relay r : run.net.relays.values()) {
            assertThat(r.server().pollTimeout()).as("the next deadline of relay " + r.listen()).isGreaterThan(run.net.nowNs);
        }
    }

    /** Connections that had to go away: gone now (forgotten, site Unknown or Offline), or not yet due. */
    private void settle() {
        DataPlaneModel model = run.model;
        for (var e : List.copyOf(model.unsettled.entrySet())) {
            String g = e.getKey();
            if (run.alice.state.connectionState(g) == null) {
                run.log.add("  observed: the connection to " + g + " is gone");
                model.forget(g);
                model.setSite(g, run.net.nowNs, SiteStatus.UNKNOWN, SiteStatus.OFFLINE);
            } else {
                assertThat(run.net.nowNs).as("the connection to " + g + " should be gone by now\n" + run.history())
                        .isLessThan(e.getValue());
            }
        }
    }

    private void marks() {
        tunMark = run.alice.tun.size();
        run.gateways.forEach((name, g) -> siteMarks.put(name, g.site.received.size()));
    }

    private void judgeProbe(PendingProbe p, List<byte[]> tun, Map<String, List<byte[]>> sites) {
        String h = run.history() + "\nat the client: " + describe(tun) + "\nat the sites: "
                + sites.entrySet().stream().map(e -> e.getKey() + " " + describe(e.getValue())).toList()
                + "\nconnections: hq " + run.alice.state.connectionState("hq") + ", lab "
                + run.alice.state.connectionState("lab");
        String source = SimPackets.source(p.packet());
        String destination = SimPackets.destination(p.packet());
        switch (p.outcome()) {
            case DataPlaneModel.Deliver(String gateway, InetAddress host) -> {
                sites.forEach((name, packets) -> assertThat(packets).as("at " + name + "\n" + h)
                        .hasSize(name.equals(gateway) ? 1 : 0));
                byte[] arrived = sites.get(gateway).getFirst();
                assertThat(SimPackets.destination(arrived)).as("destination\n" + h).isEqualTo(SimPackets.text(host));
                assertThat(SimPackets.source(arrived)).as("source\n" + h).isEqualTo(source);
                assertThat(SimPackets.protocol(arrived)).isEqualTo(SimPackets.protocol(p.packet()));
                assertThat(SimPackets.checksumsValid(arrived)).as("checksums\n" + h).isTrue();
                if (p.kind() == ModelUniverse.Kind.UDP_5000) {
                    assertThat(SimPackets.udpPayload(arrived)).as("payload\n" + h).isEqualTo(SimPackets.udpPayload(p.packet()));
                }
                assertThat(tun).as("the answer at the client\n" + h).hasSize(1);
                byte[] answer = tun.getFirst();
                assertThat(SimPackets.source(answer)).as("answer source\n" + h).isEqualTo(destination);
                assertThat(SimPackets.destination(answer)).isEqualTo(source);
                assertThat(SimPackets.checksumsValid(answer)).as("answer checksums\n" + h).isTrue();
                switch (p.kind()) {
                    case PING -> assertThat(SimPackets.isEchoReply(answer)).as("echo reply\n" + h).isTrue();
                    case UDP_5000 -> assertThat(SimPackets.udpPayload(answer)).as("echoed\n" + h)
                            .isEqualTo(SimPackets.udpPayload(p.packet()));
                    case TCP_443, TCP_22 -> assertThat(SimPackets.tcpFlags(answer)).as("SYN-ACK\n" + h)
                            .isEqualTo(TcpView.SYN | TcpView.ACK);
                }
                if (p.kind() != ModelUniverse.Kind.PING) {
                    assertThat(SimPackets.sourcePort(answer)).isEqualTo(SimPackets.destinationPort(p.packet()));
                    assertThat(SimPackets.destinationPort(answer)).isEqualTo(SimPackets.sourcePort(p.packet()));
                }
            }
            case DataPlaneModel.IcmpError(boolean prohibited) -> {
                sites.forEach((name, packets) -> assertThat(packets).as("at " + name + "\n" + h).isEmpty());
                assertThat(tun).as("one ICMP error\n" + h).hasSize(1);
                byte[] error = tun.getFirst();
                boolean v4 = DataPlaneModel.v4(SimPackets.ip(source));
                int type = v4 ? 3 : 1;
                int code = v4 ? (prohibited ? 13 : 0) : (prohibited ? 1 : 0);
                assertThat(List.of(SimPackets.icmpType(error), SimPackets.icmpCode(error))).as("ICMP error\n" + h)
                        .containsExactly(type, code);
                assertThat(SimPackets.destination(error)).isEqualTo(source);
                int inner = (v4 ? (error[0] & 0x0F) * 4 : 40) + 8;
                int addresses = v4 ? 12 : 8;
                int length = v4 ? 8 : 32;
                assertThat(java.util.Arrays.copyOfRange(error, inner + addresses, inner + addresses + length))
                        .as("the error quotes the probe\n" + h)
                        .isEqualTo(java.util.Arrays.copyOfRange(p.packet(), addresses, addresses + length));
            }
            case DataPlaneModel.Silent() -> {
                assertThat(tun).as("nothing at the client\n" + h).isEmpty();
                sites.forEach((name, packets) -> assertThat(packets).as("at " + name + "\n" + h).isEmpty());
            }
            case DataPlaneModel.NotJudged n -> throw new AssertionError("a probe not judged was sent");
        }
    }

    private void judgeDns(PendingDns d, List<byte[]> tun) {
        String h = run.history();
        assertThat(tun).as("one DNS answer\n" + h).hasSize(1);
        byte[] packet = tun.getFirst();
        assertThat(SimPackets.source(packet)).isEqualTo(ClientWorld.SENTINEL);
        assertThat(SimPackets.sourcePort(packet)).isEqualTo(53);
        byte[] message = SimPackets.udpPayload(packet);
        int forwarded = run.alice.eventsOf(ClientEvent.DnsQuery.class).size() - d.queriesBefore();
        assertThat(forwarded).as("forwarded upstream\n" + h).isEqualTo(d.expected().forwarded() ? 1 : 0);
        assertThat((message[0] & 0xFF) << 8 | message[1] & 0xFF).as("id").isEqualTo(d.id() & 0xFFFF);
        assertThat(message[3] & 0x0F).as("rcode\n" + h).isEqualTo(d.expected().rcode().code());
        if (d.expected().ptr() != null) {
            assertThat(new String(message, StandardCharsets.ISO_8859_1)).as("PTR answer\n" + h)
                    .contains(d.expected().ptr().split("\\.")[0]);
        }
        if (d.type() != DnsQuery.TYPE_A && d.type() != DnsQuery.TYPE_AAAA || d.expected().rcode() != DnsRcode.NOERROR) {
            return;
        }
        DnsAnswersResult r = DnsAnswersParser.parse(ByteBuffer.wrap(message), 0, message.length, d.id() & 0xFFFF,
                d.name(), d.type());
        assertThat(r).as("a usable answer\n" + h).isInstanceOf(DnsAnswersResult.Answers.class);
        List<InetAddress> addresses = ((DnsAnswersResult.Answers) r).answers().addresses();
        if (d.expected().addresses() != null) {
            assertThat(addresses).as("the answer for " + d.name() + "\n" + h).isEqualTo(d.expected().addresses());
        } else {
            learnProxies(d.name(), d.type() == DnsQuery.TYPE_A, addresses, h);
        }
    }

    /** The first answer for a name: 4 addresses of the family's proxy range, no other name's. */
    private void learnProxies(String name, boolean v4, List<InetAddress> addresses, String h) {
        Cidr range = Cidr.parse(v4 ? "100.96.0.0/11" : "fd00:2021:1111:8000::/107");
        assertThat(addresses).as("proxy addresses for " + name + "\n" + h).hasSize(4)
                .allSatisfy(a -> assertThat(DataPlaneModel.contains(range.toString(), a)).isTrue());
        for (var e : run.model.proxies.entrySet()) {
            if (!e.getKey().equals(name)) {
                assertThat(java.util.Arrays.asList(e.getValue())).as("another name's proxies\n" + h)
                        .doesNotContainAnyElementsOf(addresses);
            }
        }
        InetAddress[] known = run.model.proxies.computeIfAbsent(name, n -> new InetAddress[8]);
        for (int i = 0; i < 4; i++) {
            known[(v4 ? 0 : 4) + i] = addresses.get(i);
        }
        run.log.add("  learnt " + name + " -> " + addresses);
    }

    static String describe(List<byte[]> packets) {
        return packets.stream().map(p -> SimPackets.protocol(p) + " " + SimPackets.source(p) + " -> "
                + SimPackets.destination(p) + (SimPackets.icmpType(p) >= 0 ? " icmp " + SimPackets.icmpType(p) + "/"
                + SimPackets.icmpCode(p) : "")).toList().toString();
    }

    static byte[] queryBytes(int id, String name, int type) {
        ByteBuffer out = ByteBuffer.allocate(512);
        int n = DnsQueryWriter.write(id & 0xFFFF, name, type, false, out, 0);
        byte[] bytes = new byte[n];
        out.get(0, bytes);
        return bytes;
    }

    private Set<Cidr> cidrRoutes() {
        Set<Cidr> out = new HashSet<>();
        for (DataPlaneModel.Res r : run.model.catalog) {
            if (r != null && !r.dns()) {
                out.add(Cidr.parse(r.address()));
            }
        }
        return out;
    }

    private void checkTunConfig() {
        TunConfig tun = run.alice.latest(ClientEvent.TunConfigChanged.class).config();
        Set<Cidr> expected = new HashSet<>(baseRoutes);
        expected.addAll(cidrRoutes());
        if (run.model.internetEnabled) {
            expected.add(Cidr.parse("0.0.0.0/0"));
            expected.add(Cidr.parse("::/0"));
        }
        assertThat(new HashSet<>(tun.routes())).as("routes\n" + run.history()).isEqualTo(expected);
        assertThat(tun.dnsBySentinel()).as("DNS servers").isEqualTo(Map.of(SimPackets.ip(ClientWorld.SENTINEL),
                new InetSocketAddress(SimPackets.ip("192.0.2.53"), 53)));
        assertThat(tun.addresses()).isEqualTo(zonegate.filter.TunnelAddresses.of(run.alice.ipv4, run.alice.ipv6));
    }

    private void checkSites() {
        ClientEvent.SitesChanged latest = run.alice.latest(ClientEvent.SitesChanged.class);
        Map<String, SiteStatus> actual = latest == null ? Map.of() : latest.statusBySite();
        assertThat(actual.keySet()).as("sites\n" + run.history()).isEqualTo(run.model.sites.keySet());
        // A site whose gateway the client is connected to may always read Online: any change of the connection
        // (new candidates from a relay, a re-nomination) reports Connected again, even after a refusal.
        actual.forEach((site, status) -> assertThat(status).as("status of " + site + "\n" + run.history())
                .isIn(allowed(site)));
    }

    private Set<SiteStatus> allowed(String site) {
        Set<SiteStatus> out = new HashSet<>(run.model.sites.get(site));
        if (run.model.connected.contains(site)) {
            out.add(SiteStatus.ONLINE);
        }
        Set<SiteStatus> inFlight = run.model.goodbyeInFlight.get(site);
        if (inFlight != null) {
            run.log.add("  " + site + "'s last authorisation expired this second: its goodbye may be on its way");
            out.addAll(inFlight);
        }
        return out;
    }
}
