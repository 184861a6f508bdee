package zonegate.tunnel.sim;

import static zonegate.tunnel.sim.TunnelSim.MS;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import zonegate.tunnel.SiteStatus;
import zonegate.tunnel.dns.DnsParseResult;
import zonegate.tunnel.dns.DnsParser;
import zonegate.tunnel.dns.DnsQuery;
import zonegate.tunnel.dns.DnsRcode;
import zonegate.tunnel.dns.DnsResponseWriter;

/**
 * The probes and DNS queries of a {@link ModelRun}: the model says what must happen
 * ({@link DataPlaneModel.Outcome}, updating itself as the portal and the gateways would), the packet is
 * written into the client's TUN device, and {@link ModelChecks} judges everything that came out anywhere.
 */
final class ModelProbes {
    private final ModelRun run;
    private final DataPlaneModel model;
    private int serial;

    ModelProbes(ModelRun run) {
        this.run = run;
        this.model = run.model;
    }

    /** What the upstream DNS server answers: fixed A and AAAA records for any name, else an empty NOERROR. */
    static byte[] upstreamAnswer(byte[] query) {
        if (!(DnsParser.parse(ByteBuffer.wrap(query), 0, query.length) instanceof DnsParseResult.Query(var q))) {
            return null;
        }
        ByteBuffer out = ByteBuffer.allocate(512);
        int n = q.type() == DnsQuery.TYPE_A ? DnsResponseWriter.writeAnswer(q, List.of(ModelUniverse.UPSTREAM_V4), 60, 512, out, 0)
                : q.type() == DnsQuery.TYPE_AAAA ? DnsResponseWriter.writeAnswer(q, List.of(ModelUniverse.UPSTREAM_V6), 60, 512, out, 0)
                : DnsResponseWriter.writeEmpty(q, DnsRcode.NOERROR, 512, out, 0);
        byte[] bytes = new byte[n];
        out.get(0, bytes);
        return bytes;
    }

    void probe(ModelAction.Probe p) {
        InetAddress destination;
        if (p.target() < ModelUniverse.TARGETS.length) {
            destination = SimPackets.ip(ModelUniverse.TARGETS[p.target()]);
        } else {
            String name = ModelUniverse.NAMES[p.target() - ModelUniverse.TARGETS.length];
            InetAddress[] known = model.proxies.get(name);
            if (known == null || known[p.proxy()] == null) {
                if (model.dnsSlot(name) == null) {
                    run.log.add("  " + name + " has no proxy addresses: not sent");
                    return;
                }
                query(0, p.proxy() < 4 ? 0 : 1, name);
                run.checks.afterAction();
            }
            destination = model.proxies.get(name)[p.proxy()];
        }
        DataPlaneModel.Outcome expected = expect(destination, p.kind());
        run.log.add("  to " + SimPackets.text(destination) + " expecting " + expected);
        if (expected instanceof DataPlaneModel.NotJudged) {
            return;
        }
        int id = ++serial;
        boolean v4 = DataPlaneModel.v4(destination);
        String source = v4 ? run.alice.ipv4 : run.alice.ipv6;
        String to = SimPackets.text(destination);
        byte[] packet = switch (p.kind()) {
            case PING -> SimPackets.echoRequest(source, to, 1000 + id, id);
            case UDP_5000 -> SimPackets.udp(source, 20000 + id, to, 5000, new byte[] {(byte) id, (byte) (id >> 8), 42});
            case TCP_443 -> SimPackets.tcpSyn(source, 20000 + id, to, 443);
            case TCP_22 -> SimPackets.tcpSyn(source, 20000 + id, to, 22);
        };
        run.checks.expectProbe(packet, p.kind(), expected);
        run.alice.send(packet);
        run.net.runFor(ModelRun.PROBE_NS);
    }

    /** The model's outcome of a packet of {@code kind} to {@code destination}, the model updated as it goes. */
    private DataPlaneModel.Outcome expect(InetAddress destination, ModelUniverse.Kind kind) {
        long now = run.net.nowNs;
        if (model.nearExpiry(run.net.wallSeconds())) {
            return new DataPlaneModel.NotJudged("an expiry is due about now");
        }
        Integer slot = model.route(destination);
        if (slot == null) {
            return new DataPlaneModel.IcmpError(false);
        }
        DataPlaneModel.Res r = model.resource(slot);
        if (!DataPlaneModel.allows(r.filters(), kind)) {
            return new DataPlaneModel.IcmpError(true);
        }
        String gateway = model.clientAuth.get(slot);
        if (gateway == null) {
            if (model.unsettled.containsKey(r.site())) {
                return new DataPlaneModel.NotJudged(r.site() + " is unsettled");
            }
            if (!model.policy[slot]) {
                model.setSite(r.site(), now, SiteStatus.OFFLINE);
                return new DataPlaneModel.Silent();
            }
            gateway = r.site();
            model.gatewayAuth.get(gateway).put(slot, Long.MAX_VALUE);
            model.maybeHeld.get(gateway).remove(slot);
            model.clientAuth.put(slot, gateway);
            if (model.connected.add(gateway)) {
                model.setSite(gateway, now, SiteStatus.ONLINE);
            }
        } else if (model.unsettled.containsKey(gateway)) {
            return new DataPlaneModel.NotJudged(gateway + " is unsettled");
        } else {
            // a connection that went idle comes back Connected: the site may turn Online
            model.sites.computeIfPresent(gateway, (s, v) -> {
                v.add(SiteStatus.ONLINE);
                return v;
            });
        }
        Boolean held = model.holds(gateway, slot);
        if (held == null) {
            return new DataPlaneModel.NotJudged(gateway + " may or may not hold slot " + slot);
        }
        model.lastDataNs.put(gateway, now);
        if (!r.dns()) {
            return held ? new DataPlaneModel.Deliver(gateway, destination) : new DataPlaneModel.IcmpError(false);
        }
        String domain = model.proxyOwner(destination);
        if (model.maybeSetups.get(gateway).contains(domain)) {
            return new DataPlaneModel.NotJudged("the status of " + domain + " at " + gateway + " may be either");
        }
        Boolean active = model.setups.get(gateway).get(domain);
        if (active == null) {
            active = model.accepts(gateway, domain);
            if (active == null) {
                return new DataPlaneModel.NotJudged(gateway + " may or may not accept " + domain);
            }
            model.setups.get(gateway).put(domain, active);
        }
        if (!active || !held) {
            return new DataPlaneModel.IcmpError(false);
        }
        InetAddress host = ModelUniverse.RESOLVED.get(domain).get(DataPlaneModel.v4(destination) ? 0 : 1);
        return new DataPlaneModel.Deliver(gateway, host);
    }

    void query(int name, int type) {
        query(name, type, ModelUniverse.NAMES[name]);
    }

    /** A query to the sentinel; the model decides between a local answer and forwarding. */
    private void query(int nameIndex, int typeIndex, String name) {
        int type = ModelUniverse.QUERY_TYPES[typeIndex];
        String asked = name;
        ModelChecks.DnsExpectation expected;
        if (name.equals("use-application-dns.net")) {
            expected = new ModelChecks.DnsExpectation(DnsRcode.NXDOMAIN, false, null, null);
        } else if (type == DnsQuery.TYPE_PTR) {
            InetAddress[] known = model.proxies.get(name);
            InetAddress own = known == null ? null : known[0] != null ? known[0] : null;
            InetAddress target = own == null ? SimPackets.ip("10.20.0.5") : own;
            asked = reverse(target);
            expected = new ModelChecks.DnsExpectation(DnsRcode.NOERROR, own == null, null, own == null ? null : name);
        } else if (model.dnsSlot(name) != null && type == DnsQuery.TYPE_HTTPS) {
            expected = new ModelChecks.DnsExpectation(DnsRcode.NOERROR, false, List.of(), null);
        } else if (model.dnsSlot(name) != null && (type == DnsQuery.TYPE_A || type == DnsQuery.TYPE_AAAA)) {
            expected = new ModelChecks.DnsExpectation(DnsRcode.NOERROR, false, proxiesOf(name, type), null);
            requeried(name);
        } else {
            List<InetAddress> upstream = type == DnsQuery.TYPE_A ? List.of(ModelUniverse.UPSTREAM_V4)
                    : type == DnsQuery.TYPE_AAAA ? List.of(ModelUniverse.UPSTREAM_V6) : List.of();
            expected = new ModelChecks.DnsExpectation(DnsRcode.NOERROR, true, upstream, null);
        }
        run.log.add("  query " + asked + " type " + type + " expecting " + expected);
        run.checks.expectDns(++serial, asked, type, expected);
        run.alice.send(SimPackets.udp(run.alice.ipv4, 30000 + serial % 20000, ClientWorld.SENTINEL, 53,
                ModelChecks.queryBytes(serial, asked, type)));
        run.net.runFor(50 * MS);
    }

    /** The proxy addresses the answer must carry: the known ones, or null (new: learnt by the check). */
    private List<InetAddress> proxiesOf(String name, int type) {
        InetAddress[] all = model.proxies.get(name);
        int from = type == DnsQuery.TYPE_A ? 0 : 4;
        if (all == null || all[from] == null) {
            return null;
        }
        return java.util.Arrays.asList(all).subList(from, from + 4);
    }

    /** A local answer for a resource name makes every gateway with a setup for it re-decide. */
    private void requeried(String name) {
        for (String g : List.of("hq", "lab")) {
            Boolean before = model.setups.get(g).get(name);
            if (before == null) {
                continue;
            }
            Boolean now = model.accepts(g, name);
            if (now == null || !now.equals(before) && !model.freshSession(g, run.net.nowNs)) {
                model.maybeSetups.get(g).add(name);
            } else {
                model.setups.get(g).put(name, now);
            }
        }
    }

    static String reverse(InetAddress v4) {
        byte[] b = v4.getAddress();
        return (b[3] & 0xFF) + "." + (b[2] & 0xFF) + "." + (b[1] & 0xFF) + "." + (b[0] & 0xFF) + ".in-addr.arpa";
    }
}
