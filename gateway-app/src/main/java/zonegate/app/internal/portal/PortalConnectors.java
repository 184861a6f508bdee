package zonegate.app.internal.portal;

/** The portal connectors. */
public final class PortalConnectors {
    private PortalConnectors() {
    }

    /** Over the WebSocket client of {@code zonegate.controlplane}. */
    public static PortalConnector websocket() {
        return (portal, role, token, query, ca, inbound) -> {
            throw new UnsupportedOperationException("not wired yet");
        };
    }
}
