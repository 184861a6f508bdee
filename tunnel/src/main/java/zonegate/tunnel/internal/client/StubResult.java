package zonegate.tunnel.internal.client;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * What {@link StubResolver} made of a query or of an upstream's response. Switch over it exhaustively:
 *
 * <pre>{@code
 * switch (stub.handleQuery(packet, 0, n, nowNs)) {
 *     case StubResult.Answer(byte[] ip) -> tun.write(ip);
 *     case StubResult.Forward(long id, InetSocketAddress upstream, byte[] dns) -> udp.send(id, upstream, dns);
 *     case StubResult.Dropped(StubCounter reason) -> { }
 * }
 * }</pre>
 */
public sealed interface StubResult {
    /**
     * An IP packet for the TUN device: IPv4 or IPv6 + UDP (valid checksums) from the sentinel's port 53 to the
     * query's source address and port, carrying the DNS response.
     */
    record Answer(byte[] ipPacket) implements StubResult {
        public Answer {
            Objects.requireNonNull(ipPacket, "ipPacket");
        }
    }

    /**
     * A DNS message (the client's query, unchanged: same id) for the shell to send to {@code upstream}; hand
     * the response, or null on failure, to {@link StubResolver#handleUpstreamResponse} with {@code queryId}.
     */
    record Forward(long queryId, InetSocketAddress upstream, byte[] dnsMessage) implements StubResult {
        public Forward {
            Objects.requireNonNull(upstream, "upstream");
            Objects.requireNonNull(dnsMessage, "dnsMessage");
        }
    }

    /** Nothing to send; {@code reason} was counted. */
    record Dropped(StubCounter reason) implements StubResult {
        public Dropped {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
