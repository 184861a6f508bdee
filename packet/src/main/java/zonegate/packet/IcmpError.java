package zonegate.packet;

/**
 * The ICMP errors a gateway originates, with their ICMPv4 (RFC 792, RFC 1812) and ICMPv6 (RFC 4443)
 * type and code.
 */
public enum IcmpError {
    /** A filter denied the packet: v4 3/13, v6 1/1. */
    ADMINISTRATIVELY_PROHIBITED(3, 13, 1, 1),
    /** No route to the destination network: v4 3/0, v6 1/0. */
    NETWORK_UNREACHABLE(3, 0, 1, 0),
    /** The host does not answer: v4 3/1, v6 1/3 (address unreachable). */
    HOST_UNREACHABLE(3, 1, 1, 3),
    /** Nothing listens on the port: v4 3/3, v6 1/4. */
    PORT_UNREACHABLE(3, 3, 1, 4),
    /** The packet exceeds the next-hop MTU: v4 3/4 (fragmentation needed and DF set), v6 2/0 (packet too big). */
    PACKET_TOO_BIG(3, 4, 2, 0);

    private final int typeV4;
    private final int codeV4;
    private final int typeV6;
    private final int codeV6;

    IcmpError(int typeV4, int codeV4, int typeV6, int codeV6) {
        this.typeV4 = typeV4;
        this.codeV4 = codeV4;
        this.typeV6 = typeV6;
        this.codeV6 = codeV6;
    }

    public int typeV4() {
        return typeV4;
    }

    public int codeV4() {
        return codeV4;
    }

    public int typeV6() {
        return typeV6;
    }

    public int codeV6() {
        return codeV6;
    }
}
