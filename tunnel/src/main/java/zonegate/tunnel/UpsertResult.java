package zonegate.tunnel;

/** What {@link GatewayState#upsertClient} did. Refusals change nothing. */
public enum UpsertResult {
    /** A new client, with no authorisation yet. */
    ADDED,
    /** A known client whose preshared key or tunnel addresses changed; its session was kept. */
    UPDATED,
    /** A known client whose key changed: its old session was closed, the new key must handshake. */
    REKEYED,
    /** A known client, nothing changed. */
    UNCHANGED,
    /** Refused: {@link GatewayConfig#maxClients()} clients exist. */
    REFUSED_FULL,
    /** Refused: another client uses this public key. */
    REFUSED_KEY_IN_USE,
    /** Refused: another client (or the gateway) uses one of these tunnel addresses. */
    REFUSED_ADDRESS_IN_USE,
    /** Refused: the public key is not usable (a low-order point). */
    REFUSED_BAD_KEY
}
