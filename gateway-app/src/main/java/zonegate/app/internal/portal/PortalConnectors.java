package zonegate.app.internal.portal;

/**
 * PLACEHOLDER for the branch that builds the headless client: the real class (the WebSocket transport behind
 * {@link PortalConnector}) comes from the portal-client work; drop this file at merge.
 */
public final class PortalConnectors {
    private PortalConnectors() {
    }

    /** The portal connection over WebSocket. Placeholder: not implemented in this branch. */
    public static PortalConnector websocket() {
        return (portal, role, token, query, extraCaPem, inbound) -> {
            throw new UnsupportedOperationException("placeholder: the WebSocket portal connector is merged separately");
        };
    }
}
