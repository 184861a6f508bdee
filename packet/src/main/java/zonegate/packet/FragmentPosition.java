package zonegate.packet;

/** Where a packet sits in a fragmented datagram (IPv4 flags and offset, or the IPv6 fragment header). */
public enum FragmentPosition {
    /** Not fragmented (an IPv6 atomic fragment, offset 0 without M, counts as not fragmented: RFC 6946). */
    NONE,
    /** Offset 0 with more fragments to come: the transport header is present. */
    FIRST,
    /** Offset above 0: there is no transport header, only payload bytes. */
    NON_FIRST
}
