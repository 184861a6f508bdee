/**
 * The signalling protocol between the portal and its gateways, clients and relays: the messages as
 * records ({@link zonegate.controlplane.PortalMessage}), the frame they travel in
 * ({@link zonegate.controlplane.Frame}) and the JSON codec ({@link zonegate.controlplane.PortalCodec}).
 * No I/O: the WebSocket transport and the state machines that use the messages live elsewhere.
 */
module zonegate.controlplane {
    requires tools.jackson.databind;

    exports zonegate.controlplane;
}
