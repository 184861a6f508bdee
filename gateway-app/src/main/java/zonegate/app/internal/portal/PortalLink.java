package zonegate.app.internal.portal;

import zonegate.controlplane.PortalEvent;
import zonegate.controlplane.PortalMessage;

/**
 * The state thread's side of its connection to the portal: what a driver sends. Inbound frames and
 * connection changes reach the driver as {@link PortalEvent} commands on its event loop, so they are handled
 * before any packet of the same cycle (the control plane first: a busy data path never starves it).
 *
 * <p>Thread-safe. Messages sent while the socket is down are dropped (and counted by the transport): after a
 * reconnect the portal sends {@code init} again and the driver resends what the portal needs.
 */
public interface PortalLink {
    /** Sends a message with a fresh ref. */
    void send(PortalMessage message);

    /** Answers the portal's request whose frame carried {@code ref}. */
    void reply(String ref, PortalMessage message);
}
