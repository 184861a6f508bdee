package zonegate.tunnel.dns;

import java.net.InetAddress;
import java.util.List;

/**
 * What an upstream resolver answered to one of our queries: see {@link DnsAnswersParser}.
 *
 * @param id the message id (the one our query carried)
 * @param rcode the response code (the header's 4 bits: 0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN, 5 REFUSED...)
 * @param truncated whether TC was set: the answer is partial, ask again over TCP
 * @param addresses the A and AAAA addresses of the question's name, following CNAMEs within the
 *     response, in answer order; at most {@link DnsAnswersParser#MAX_ADDRESSES}
 * @param minTtlSeconds the smallest TTL of the records that gave the addresses (CNAMEs on the way
 *     included), or 0 when there are none; TTLs with the top bit set count as 0 (RFC 2181 section 8)
 */
public record DnsAnswers(int id, int rcode, boolean truncated, List<InetAddress> addresses, long minTtlSeconds) {
    public DnsAnswers {
        addresses = List.copyOf(addresses);
    }

    /** Whether the upstream said the name does not exist. */
    public boolean nxDomain() {
        return rcode == DnsRcode.NXDOMAIN.code();
    }

    /** Whether the upstream answered without error (addresses may still be empty: NODATA). */
    public boolean noError() {
        return rcode == DnsRcode.NOERROR.code();
    }
}
