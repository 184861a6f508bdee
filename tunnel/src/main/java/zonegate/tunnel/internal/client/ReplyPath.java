package zonegate.tunnel.internal.client;

import java.nio.ByteBuffer;
import zonegate.packet.UdpWriter;

/**
 * Where the answer to a query goes: from the sentinel it was sent to, port 53, back to the query's source
 * address and port. IPv4 addresses are kept in the low halves.
 */
record ReplyPath(boolean ipv6, long clientHigh, long clientLow, int clientPort, long sentinelHigh, long sentinelLow) {
    static final int DNS_PORT = 53;

    static ReplyPath ipv4(int client, int clientPort, int sentinel) {
        return new ReplyPath(false, 0, client & 0xFFFF_FFFFL, clientPort, 0, sentinel & 0xFFFF_FFFFL);
    }

    static ReplyPath ipv6(long clientHigh, long clientLow, int clientPort, long sentinelHigh, long sentinelLow) {
        return new ReplyPath(true, clientHigh, clientLow, clientPort, sentinelHigh, sentinelLow);
    }

    /**
     * The IP/UDP packet carrying {@code dnsBytes} bytes of {@code dns} from {@code dnsOffset}, built in
     * {@code scratch} (room for the headers and the payload) and copied out.
     */
    byte[] packet(ByteBuffer dns, int dnsOffset, int dnsBytes, ByteBuffer scratch) {
        int length = ipv6
                ? UdpWriter.writeIpv6(sentinelHigh, sentinelLow, DNS_PORT, clientHigh, clientLow, clientPort, dns,
                        dnsOffset, dnsBytes, scratch, 0, scratch.capacity())
                : UdpWriter.writeIpv4((int) sentinelLow, DNS_PORT, (int) clientLow, clientPort, dns, dnsOffset,
                        dnsBytes, scratch, 0, scratch.capacity());
        byte[] out = new byte[length];
        scratch.get(0, out);
        return out;
    }
}
