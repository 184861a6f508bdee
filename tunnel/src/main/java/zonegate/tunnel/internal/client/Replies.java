package zonegate.tunnel.internal.client;

import java.nio.ByteBuffer;
import zonegate.tunnel.dns.DnsQuery;
import zonegate.tunnel.dns.DnsRcode;
import zonegate.tunnel.dns.DnsResponseWriter;

/**
 * The resolver's outputs and counters: DNS responses are written into {@link #dns()}, then wrapped in IP/UDP
 * from the sentinel (both scratch buffers are reused; only the returned packet is allocated).
 */
final class Replies {
    private static final int IP_UDP_HEADER_BYTES = 40 + 8;

    private final long[] counters = new long[StubCounter.values().length];
    private final ByteBuffer dnsScratch = ByteBuffer.allocate(DnsQuery.MAX_UDP_RESPONSE_BYTES);
    private final ByteBuffer ipScratch = ByteBuffer.allocate(IP_UDP_HEADER_BYTES + DnsQuery.MAX_UDP_RESPONSE_BYTES);

    /** The scratch buffer for a DNS response of at most {@link DnsQuery#MAX_UDP_RESPONSE_BYTES}. */
    ByteBuffer dns() {
        return dnsScratch;
    }

    /** The answer carrying the first {@code dnsBytes} of {@link #dns()}, counted under {@code counter}. */
    StubResult answered(ReplyPath reply, int dnsBytes, StubCounter counter) {
        return answered(reply, dnsScratch, 0, dnsBytes, counter);
    }

    /** The answer carrying {@code dnsBytes} bytes of {@code dns} from {@code offset} (at most 1212). */
    StubResult answered(ReplyPath reply, ByteBuffer dns, int offset, int dnsBytes, StubCounter counter) {
        count(counter, 1);
        return new StubResult.Answer(reply.packet(dns, offset, dnsBytes, ipScratch));
    }

    /** An empty response with {@code rcode} (SERVFAIL, NXDOMAIN, NOERROR for NODATA) to {@code query}. */
    StubResult empty(DnsQuery query, DnsRcode rcode, ReplyPath reply, StubCounter counter) {
        int n = DnsResponseWriter.writeEmpty(query, rcode, query.udpResponseLimitBytes(), dnsScratch, 0);
        return answered(reply, n, counter);
    }

    StubResult drop(StubCounter reason) {
        count(reason, 1);
        return new StubResult.Dropped(reason);
    }

    void count(StubCounter c, int n) {
        counters[c.ordinal()] += n;
    }

    long count(StubCounter c) {
        return counters[c.ordinal()];
    }
}
