package zonegate.packet;

/** What {@link PacketParser} does with fragments. */
public enum FragmentPolicy {
    /** Parse fragments and report them through {@link IpPacket#fragment()}. */
    ACCEPT,
    /** Reject every fragment (first or not) with {@link Rejection#FRAGMENT}. */
    REJECT
}
