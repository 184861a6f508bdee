package zonegate.filter;

/** What {@link FilterEngine#pollEvent} reports. Switch over it exhaustively. */
public sealed interface FilterEvent {
    /** The client the event is about. */
    ClientId clientId();

    /**
     * An authorisation reached its expiry and was removed (by {@link FilterEngine#handleTimeout}).
     * Packets stopped matching it at the expiry instant, whether or not the timeout had run yet.
     */
    record AuthorizationExpired(ClientId clientId, ResourceId resourceId) implements FilterEvent {
    }

    /**
     * The client went from at least one authorisation to none, by expiry, removal or replacement: the
     * gateway should say goodbye to it. Follows the {@link AuthorizationExpired} events that caused it.
     */
    record NoAuthorizationLeft(ClientId clientId) implements FilterEvent {
    }
}
