package zonegate.filter;

import java.util.List;
import zonegate.filter.internal.FlowKeys;
import zonegate.filter.internal.PortRanges;
import zonegate.packet.IpPacket;
import zonegate.packet.IpProtocol;

/**
 * What any client may send to the gateway's own tunnel addresses, whatever its authorisations: ICMP
 * echo requests (ping) and DNS (UDP and TCP port 53) always, plus the {@code extra} filters the
 * operator names ({@code gateway.allowToGateway}; none by default). Everything else a host process
 * listens on (sshd, metrics on a wildcard address) stays out of the clients' reach: see
 * {@link ClientFilter#decideGateway}. Immutable.
 *
 * <pre>{@code
 * GatewayServices services = GatewayServices.of(List.of(new Filter.Tcp(22, 22)));   // also ssh
 * }</pre>
 */
public final class GatewayServices {
    /** Ping and DNS only. */
    public static final GatewayServices DEFAULT = of(List.of());

    private static final int DNS_PORT = 53;

    private final List<Filter> extra;
    private final int[] pool;

    private GatewayServices(List<Filter> extra) {
        this.extra = List.copyOf(extra);
        PortRanges ranges = PortRanges.compile(this.extra);
        this.pool = new int[ranges.poolInts()];
        if (!this.extra.isEmpty()) {
            ranges.writeTo(pool, 0);
        }
    }

    /** Ping, DNS and {@code extra} (an empty list adds nothing; it does not mean "everything"). */
    public static GatewayServices of(List<Filter> extra) {
        return new GatewayServices(extra);
    }

    /** The operator's filters beyond ping and DNS. */
    public List<Filter> extra() {
        return extra;
    }

    /** Whether a client's packet to the gateway's address is for one of these services. No allocation. */
    public boolean permits(IpPacket packet) {
        int protocol = packet.protocol();
        int port = packet.destinationPort();
        if (FlowKeys.isEchoRequest(packet)
                || port == DNS_PORT && (protocol == IpProtocol.UDP || protocol == IpProtocol.TCP)) {
            return true;
        }
        return !extra.isEmpty() && PortRanges.permits(pool, 0, protocol, port);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GatewayServices other && other.extra.equals(extra);
    }

    @Override
    public int hashCode() {
        return extra.hashCode();
    }

    @Override
    public String toString() {
        return "ping, DNS" + (extra.isEmpty() ? "" : " and " + extra);
    }
}
