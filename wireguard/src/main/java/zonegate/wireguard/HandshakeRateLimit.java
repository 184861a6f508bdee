package zonegate.wireguard;

/**
 * The per-source token bucket for handshake messages while the device is under load: each source may
 * have {@code burst} messages reach the Diffie-Hellman at once and {@code perSecond} after that, in a
 * table of at most {@code maxSources} sources. A source is an IPv4 address or an IPv6 /64 (one host
 * owns a whole /64, so finer keys would only let it multiply its budget).
 *
 * @param perSecond tokens added per second (20, as wireguard-go); 1 to 1,000,000
 * @param burst bucket size (5); 1 to 1,000
 * @param maxSources table bound (4096); a power of two from 8 to 2^20. When no slot of a source's
 *     set is free or idle, the new source is refused ({@link DropReason#SOURCE_TABLE_FULL})
 */
public record HandshakeRateLimit(int perSecond, int burst, int maxSources) {
    /** 20 per second, burst 5, 4096 sources. */
    public static final HandshakeRateLimit DEFAULT = new HandshakeRateLimit(20, 5, 4096);

    public HandshakeRateLimit {
        if (perSecond < 1 || perSecond > 1_000_000 || burst < 1 || burst > 1_000) {
            throw new IllegalArgumentException("handshake rate limit out of range: " + perSecond + "/s, burst " + burst);
        }
        if (maxSources < 8 || maxSources > 1 << 20 || Integer.bitCount(maxSources) != 1) {
            throw new IllegalArgumentException("maxSources must be a power of two from 8 to 2^20: " + maxSources);
        }
    }
}
