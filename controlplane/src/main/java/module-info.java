/**
 * The signalling protocol between the portal and its gateways, clients and relays: the messages as
 * records ({@link zonegate.controlplane.PortalMessage}), the frame they travel in
 * ({@link zonegate.controlplane.Frame}) and the JSON codec ({@link zonegate.controlplane.PortalCodec});
 * the peer's side of the connection: its sans-IO logic ({@link zonegate.controlplane.PortalSession}) and
 * its RFC 6455 WebSocket transport over a blocking socket ({@link zonegate.controlplane.PortalClient}).
 */
module zonegate.controlplane {
    requires org.tinylog.api;
    requires tools.jackson.databind;

    exports zonegate.controlplane;
    exports zonegate.controlplane.internal to zonegate.app;
}
