package zonegate.filter;

import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import zonegate.packet.IpProtocol;

/** Test helpers: a client with a manual wall clock, resources from text, addresses from text. */
final class Fixtures {
    static final String CLIENT_V4 = "100.64.0.7";
    static final String CLIENT_V6 = "fd00:2021:1111::7";
    static final int TCP = IpProtocol.TCP;
    static final int UDP = IpProtocol.UDP;
    static final int ICMP = IpProtocol.ICMP;
    static final int ICMPV6 = IpProtocol.ICMPV6;
    /** The wall clock reads this many Unix seconds when the monotonic clock reads 0. */
    static final long WALL_AT_ZERO_SECONDS = 1_700_000_000L;
    static final long SECOND_NS = 1_000_000_000L;

    final ManualWallClock wall = new ManualWallClock();
    final FilterEngine engine;
    final ClientFilter client;
    final Decision decision = new Decision();
    long nowNs;

    Fixtures() {
        this(FilterConfig.DEFAULT);
    }

    Fixtures(FilterConfig config) {
        engine = new FilterEngine(config, wall);
        client = engine.upsertClient(ClientId.of("c1"), TunnelAddresses.of(CLIENT_V4, CLIENT_V6), 0);
    }

    /** A wall clock that advances with {@link #nowNs}. */
    final class ManualWallClock implements InstantSource {
        @Override
        public Instant instant() {
            return Instant.ofEpochSecond(WALL_AT_ZERO_SECONDS, nowNs);
        }
    }

    static Resource cidr(String id, String cidr) {
        return new Resource.CidrRange(ResourceId.of(id), Cidr.parse(cidr));
    }

    static Resource dns(String id, String pattern) {
        return new Resource.Dns(ResourceId.of(id), DnsPattern.of(pattern));
    }

    static Resource internet(String id) {
        return new Resource.Internet(ResourceId.of(id));
    }

    static Authorization allow(Resource resource, Filter... filters) {
        return Authorization.permanent(resource, List.of(filters));
    }

    static Authorization allowUntil(long unixSeconds, Resource resource, Filter... filters) {
        return new Authorization(resource, List.of(filters), unixSeconds);
    }

    static int v4(String address) {
        return (int) Cidr.parse(address + "/32").low();
    }

    static Cidr v6(String address) {
        return Cidr.parse(address + "/128");
    }

    void set(Authorization... authorizations) {
        if (client.replaceAll(List.of(authorizations), nowNs) != CommandResult.APPLIED) {
            throw new AssertionError("refused");
        }
    }

    /** Decides a packet from the client's own address to {@code destination} (v4 or v6 text). */
    Decision send(String destination, int protocol, int destinationPort) {
        return send(destination, protocol, 40000, destinationPort);
    }

    Decision send(String destination, int protocol, int sourcePort, int destinationPort) {
        Cidr d = Cidr.parse(destination + (destination.contains(":") ? "/128" : "/32"));
        if (d.version() == 4) {
            return client.decideV4(v4(CLIENT_V4), (int) d.low(), protocol, sourcePort, destinationPort, nowNs,
                    decision);
        }
        Cidr s = v6(CLIENT_V6);
        return client.decideV6(s.high(), s.low(), d.high(), d.low(), protocol, sourcePort, destinationPort, nowNs,
                decision);
    }

    Decision sendToDomain(String domain, int protocol, int destinationPort) {
        return client.decideDomainV4(v4(CLIENT_V4), client.domainCandidates(domain), protocol, 40000,
                destinationPort, nowNs, decision);
    }
}
