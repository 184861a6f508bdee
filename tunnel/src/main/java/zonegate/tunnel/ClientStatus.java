package zonegate.tunnel;

import zonegate.filter.ClientId;

/**
 * A snapshot of one client's state, for metrics, the control plane and tests (allocates; not per packet).
 *
 * @param id the client
 * @param connected whether a session is up
 * @param handshakesCompleted handshakes completed with it
 * @param rxPackets transport messages received from it
 * @param txPackets transport messages sent to it
 * @param authorizations authorisations it holds (expired ones until the timeout removes them)
 * @param dnsDomains DNS-resource domains it was given proxy addresses for
 * @param natFlows live DNS-resource NAT flows
 */
public record ClientStatus(ClientId id, boolean connected, long handshakesCompleted, long rxPackets, long txPackets,
                           int authorizations, int dnsDomains, int natFlows) {
}
