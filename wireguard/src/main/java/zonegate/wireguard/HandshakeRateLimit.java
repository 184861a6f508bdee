package zonegate.wireguard;

/**
 * The per-source token buckets that hold back handshake floods while the device is under load. A
 * source is an IPv4 address or an IPv6 /64 (one host owns a whole /64, so a finer key would only let
 * it multiply its budget); the table of sources has at most {@code maxSources} entries.
 *
 * <ul>
 *   <li>Messages with a valid mac2 (their sender proved it receives at its address): {@code burst} may
 *       reach the Diffie-Hellman at once and {@code perSecond} after that (5 and 20, as wireguard-go).
 *       A new source finding its slots all held by sources still being limited is refused
 *       ({@link DropReason#SOURCE_TABLE_FULL}).
 *   <li>Messages without one (answered with a cookie reply): {@code cookieReplyBurst} replies at once and
 *       {@code cookieRepliesPerSecond} after that, in a second table; the rest are dropped
 *       ({@link DropReason#COOKIE_REPLY_LIMITED}). If that table is full the reply is sent anyway:
 *       a reply is cheap and never refused to a newcomer, and an honest client needs one to get in.
 * </ul>
 *
 * @param perSecond DH admissions per second per source (20); 1 to 1,000,000
 * @param burst DH bucket size (5); 1 to 1,000
 * @param cookieRepliesPerSecond cookie replies per second per source (100); 1 to 1,000,000
 * @param cookieReplyBurst cookie reply bucket size (100); 1 to 1,000
 * @param maxSources bound of each table (4096); a power of two from 8 to 2^20
 */
public record HandshakeRateLimit(int perSecond, int burst, int cookieRepliesPerSecond, int cookieReplyBurst,
        int maxSources) {
    /** 20 per second, burst 5; 100 cookie replies per second, burst 100; 4096 sources. */
    public static final HandshakeRateLimit DEFAULT = new HandshakeRateLimit(20, 5, 100, 100, 4096);

    public HandshakeRateLimit {
        if (outOfRange(perSecond, burst) || outOfRange(cookieRepliesPerSecond, cookieReplyBurst)) {
            throw new IllegalArgumentException("handshake rate limit out of range: " + perSecond + "/s burst " + burst
                    + ", cookie replies " + cookieRepliesPerSecond + "/s burst " + cookieReplyBurst);
        }
        if (maxSources < 8 || maxSources > 1 << 20 || Integer.bitCount(maxSources) != 1) {
            throw new IllegalArgumentException("maxSources must be a power of two from 8 to 2^20: " + maxSources);
        }
    }

    private static boolean outOfRange(int perSecond, int burst) {
        return perSecond < 1 || perSecond > 1_000_000 || burst < 1 || burst > 1_000;
    }
}
