/**
 * The portal: the signalling and policy server of the ICE mode, a sans-IO core
 * ({@link zonegate.portal.PortalState}) and its WebSocket transport on Helidon WebServer
 * ({@link zonegate.portal.PortalServer}).
 */
module zonegate.portal {
    requires transitive zonegate.controlplane;
    requires zonegate.turn;
    requires org.tinylog.api;
    requires io.helidon.webserver;
    requires io.helidon.webserver.websocket;
    requires io.helidon.websocket;
    requires io.helidon.http;
    requires io.helidon.common.buffers;
    requires io.helidon.common.socket;
    requires io.helidon.common.tls;
    requires io.helidon.common.pki;
    requires io.helidon.common.configurable;

    exports zonegate.portal;
}
