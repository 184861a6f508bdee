package zonegate.tunnel.sim;

import static zonegate.tunnel.sim.TunnelSim.MS;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import zonegate.filter.Authorization;
import zonegate.filter.Cidr;
import zonegate.filter.DnsPattern;
import zonegate.filter.Filter;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;
import zonegate.tunnel.ClientResource;
import zonegate.tunnel.DnsRecords;
import zonegate.tunnel.IpStack;
import zonegate.tunnel.dns.DnsAnswersParser;
import zonegate.tunnel.dns.DnsAnswersResult;
import zonegate.tunnel.dns.DnsQuery;
import zonegate.tunnel.dns.DnsQueryWriter;

/**
 * The world of a client simulation: one relay, the ICE-mode gateways "hq" and "lab" (one site each, both
 * knowing the relay), and the client state machine "alice" behind the given NATs, initialised with the
 * resources given; the portal grants each resource through its site's gateway.
 */
final class ClientWorld {
    static final String OFFICE_HOST = "10.20.0.5";
    static final String APP_ADDRESS = "10.30.0.7";
    static final String SENTINEL = "100.100.111.1";
    static final ResourceId APP_ID = ResourceId.of("00000000-0000-0000-0000-0000000000a1");

    final TunnelSim net;
    final TunnelSim.Relay relay;
    final GatewayHost hq;
    final GatewayHost lab;
    final StateClientHost alice;
    final List<ClientResource> resources = new ArrayList<>();

    ClientWorld(long seed, Nat.Type clientNat, Nat.Type gatewayNat) {
        this(seed, clientNat, gatewayNat, DnsRecords.EMPTY);
    }

    ClientWorld(long seed, Nat.Type clientNat, Nat.Type gatewayNat, DnsRecords records) {
        this.net = new TunnelSim(seed);
        this.relay = net.relay("198.51.100.2");
        this.hq = net.gateway("hq", gatewayNat);
        this.lab = net.gateway("lab", gatewayNat);
        hq.init(relay);
        lab.init(relay);
        hq.resolver.put("app.example.com", List.of(InetAddress.ofLiteral(APP_ADDRESS)));
        this.alice = StateClientHost.add(net, "alice", clientNat, "100.64.0.10", "fd00:2021:1111::10", records);
    }

    /** The CIDR resource {@code id} at {@code cidr} in site {@code site}, with client-side filters. */
    static ClientResource cidr(String id, String cidr, String site, Filter... filters) {
        return new ClientResource(new Resource.CidrRange(ResourceId.of(id), Cidr.parse(cidr)), id, site,
                List.of(filters), IpStack.DUAL);
    }

    /** The DNS resource {@code *.example.com} in site hq. */
    static ClientResource app() {
        return new ClientResource(new Resource.Dns(APP_ID, DnsPattern.of("*.example.com")), "apps", "hq", List.of(),
                IpStack.DUAL);
    }

    static ClientResource internet() {
        return new ClientResource(new Resource.Internet(ResourceId.of("internet")), "internet", "hq", List.of(),
                IpStack.DUAL);
    }

    /**
     * Lists the resources at the client (init) and has the portal grant each through its site's gateway,
     * with no expiry and the gateway-side filters of the client's resource.
     */
    ClientWorld start(ClientResource... list) {
        for (ClientResource r : list) {
            resources.add(r);
            alice.grant(r, gatewayOf(r), Authorization.permanent(r.resource(), r.filters()));
        }
        alice.init(List.copyOf(resources), relay);
        net.runFor(200 * MS);
        return this;
    }

    GatewayHost gatewayOf(ClientResource r) {
        return r.siteId().equals("lab") ? lab : hq;
    }

    /** Writes {@code packet} into the client's TUN device and runs {@code ms}; what came back. */
    List<byte[]> exchange(byte[] packet, long ms) {
        int mark = alice.tun.size();
        alice.send(packet);
        net.runFor(ms * MS);
        return alice.tunSince(mark);
    }

    /** Asks the sentinel for {@code name}'s A records (id 77); the addresses answered, or null if none came. */
    List<InetAddress> resolve(String name, int type) {
        ByteBuffer query = ByteBuffer.allocate(512);
        int n = DnsQueryWriter.write(77, name, type, false, query, 0);
        byte[] message = new byte[n];
        query.get(0, message);
        List<byte[]> answers = exchange(SimPackets.udp(alice.ipv4, 5353, SENTINEL, 53, message), 50);
        if (answers.isEmpty()) {
            return null;
        }
        byte[] payload = SimPackets.udpPayload(answers.getFirst());
        DnsAnswersResult r = DnsAnswersParser.parse(ByteBuffer.wrap(payload), 0, payload.length, 77, name, type);
        return r instanceof DnsAnswersResult.Answers(var a) ? a.addresses() : null;
    }

    List<InetAddress> resolve4(String name) {
        return resolve(name, DnsQuery.TYPE_A);
    }
}
