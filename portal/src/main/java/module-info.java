module zonegate.portal {
    requires transitive zonegate.controlplane;
    requires zonegate.turn;
    requires org.tinylog.api;
    requires io.helidon.webserver;
    requires io.helidon.webserver.websocket;

    exports zonegate.portal;
}
