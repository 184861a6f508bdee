package zonegate.nat64.internal;

/**
 * The addresses a translation writes: the outer header's and, for an ICMP error, the quoted packet's.
 * Filled by the caller (from an RFC 6052 prefix, or from a NAT flow) and reused for every packet.
 * IPv4 addresses are {@code int}s, IPv6 two {@code long} halves, all in network order.
 */
public final class AddressPlan {
    public int source4;
    public int destination4;
    public int innerSource4;
    public int innerDestination4;
    public long sourceHigh;
    public long sourceLow;
    public long destinationHigh;
    public long destinationLow;
    public long innerSourceHigh;
    public long innerSourceLow;
    public long innerDestinationHigh;
    public long innerDestinationLow;
}
