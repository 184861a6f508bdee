package zonegate.tunnel;

/** The outcome of {@link IceGatewayState#createAuthorization}. Refusals change nothing already held. */
public enum AuthorizationResult {
    /** Applied; {@link GatewayEvent.AuthorizationCreated} is queued. */
    CREATED,
    /** The client was refused: its key or a tunnel address is another client's, its key is invalid, or the
     * gateway holds its most clients (logged with the reason). */
    CLIENT_REFUSED,
    /** The node holds its most connections. */
    CONNECTIONS_FULL,
    /** The client would hold more resources than the filter engine allows. */
    TOO_MANY_RESOURCES
}
