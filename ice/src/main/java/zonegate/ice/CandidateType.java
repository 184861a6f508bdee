package zonegate.ice;

/**
 * The four candidate types of RFC 8445 section 5.1.1, with the recommended type preferences of
 * section 5.1.2.2 and their SDP names (RFC 8839 section 5.1).
 */
public enum CandidateType {
    /** A transport address on a local interface. */
    HOST(126, "host"),
    /** Learned from a check's XOR-MAPPED-ADDRESS (local) or source address (remote). */
    PEER_REFLEXIVE(110, "prflx"),
    /** The address a NAT maps a host candidate to, as a STUN or TURN server saw it. */
    SERVER_REFLEXIVE(100, "srflx"),
    /** An address on a TURN relay. */
    RELAYED(0, "relay");

    private final int typePreference;
    private final String sdpName;

    CandidateType(int typePreference, String sdpName) {
        this.typePreference = typePreference;
        this.sdpName = sdpName;
    }

    /** The type preference, 0-126 (RFC 8445 section 5.1.2.2). */
    public int typePreference() {
        return typePreference;
    }

    /** The {@code cand-type} token of the SDP grammar: host, prflx, srflx or relay. */
    public String sdpName() {
        return sdpName;
    }

    /** The type whose SDP name is {@code token} (case-insensitive), or {@code null}. */
    public static CandidateType ofSdpName(String token) {
        for (CandidateType type : values()) {
            if (type.sdpName.equalsIgnoreCase(token)) {
                return type;
            }
        }
        return null;
    }
}
