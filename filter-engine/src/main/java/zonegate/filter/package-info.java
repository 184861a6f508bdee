/**
 * The gateway's per-packet access decision.
 *
 * <ul>
 *   <li>{@link zonegate.filter.Resource}: a {@link zonegate.filter.Cidr} range, a
 *       {@link zonegate.filter.DnsPattern DNS name or pattern}, or the Internet (minus
 *       {@link zonegate.filter.InternetExclusions}).</li>
 *   <li>{@link zonegate.filter.Filter}: TCP/UDP port ranges and ICMP; none means everything.</li>
 *   <li>{@link zonegate.filter.Authorization}: resource + filters + expiry (Unix seconds), per client.</li>
 *   <li>{@link zonegate.filter.FilterEngine}: every client, expiry timeouts and
 *       {@link zonegate.filter.FilterEvent events}; {@link zonegate.filter.ClientFilter}: one client's
 *       routing table and its {@code decide*} entry points, filling a reusable
 *       {@link zonegate.filter.Decision}.</li>
 * </ul>
 *
 * <p>Sans-IO and single-threaded: the caller passes monotonic {@code nowNs}; the only clock read is
 * the injected {@link java.time.InstantSource}, when an authorisation is set. Deciding a packet
 * allocates nothing.
 */
package zonegate.filter;
