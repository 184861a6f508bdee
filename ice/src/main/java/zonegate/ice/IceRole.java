package zonegate.ice;

/**
 * The ICE role of an agent (RFC 8445 section 6.1.1). The controlling agent nominates the pair; the
 * controlled agent follows. zonegate's client is controlling and its gateway controlled; when both
 * sides claim the same role the 64-bit tie-breakers decide (RFC 8445 section 7.3.1.1) and the agent
 * reports the switch with {@link IceEvent.RoleChanged}.
 */
public enum IceRole {
    /** Nominates the selected pair (sends USE-CANDIDATE). */
    CONTROLLING,
    /** Accepts the pair the controlling agent nominates. */
    CONTROLLED;

    /** The other role. */
    public IceRole opposite() {
        return this == CONTROLLING ? CONTROLLED : CONTROLLING;
    }
}
