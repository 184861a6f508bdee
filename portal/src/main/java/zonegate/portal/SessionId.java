package zonegate.portal;

/**
 * One WebSocket of one peer, as the transport numbers them (never reused while the portal runs). A peer
 * that reconnects gets a new id; its identity ({@link PortalState#connect}) ties the two together.
 *
 * @param value the transport's number
 */
public record SessionId(long value) {
    @Override
    public String toString() {
        return "s" + value;
    }
}
