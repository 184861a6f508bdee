package zonegate.app.spi;

/**
 * Receives the desired state from a {@link ControlPlane}. Calls come from the control plane's thread
 * (or the caller of {@link ControlPlane#start}/{@link ControlPlane#reload}), one at a time; a gateway
 * hands them to its state-machine thread through a queue and returns quickly.
 */
public interface ControlPlaneListener {
    /**
     * A complete, validated desired state, initially and after every accepted change. It replaces the
     * previous one entirely; live sessions of clients still authorised must survive the switch.
     */
    void onPolicy(GatewayPolicy policy);

    /**
     * A change was refused; the previous policy (if any) stays in force. The control plane has
     * already logged the problems.
     */
    void onRejected(PolicyRejection rejection);
}
