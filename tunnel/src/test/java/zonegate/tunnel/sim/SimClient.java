package zonegate.tunnel.sim;

import zonegate.ice.Candidate;
import zonegate.node.ConnectionParams;
import zonegate.tunnel.ClientSpec;

/**
 * A client as the {@link ControlPlane} sees it: who it is (the spec the gateway is given) and the three
 * things the control plane tells it about a gateway. A plain client node ({@link ClientHost}) is one; the
 * client state machine will be another.
 */
interface SimClient extends SimHost {
    /** Its id, WireGuard key and tunnel addresses, as the gateway's authorisation names them. */
    ClientSpec spec();

    /** The connection to {@code gateway}: its public key and both ICE credentials. */
    void upsertGateway(GatewayHost gateway, ConnectionParams params);

    void addRemoteCandidate(GatewayHost gateway, Candidate candidate);

    void removeRemoteCandidate(GatewayHost gateway, Candidate candidate);
}
