/**
 * The zonegate shell: command line, configuration, logging, the event loop and TUN/UDP I/O, and the
 * runtime image's entry point ({@code bin/zonegate}).
 */
module zonegate.app {
    requires zonegate.tunnel;
    requires zonegate.controlplane;
    requires zonegate.portal;
    requires zonegate.turn;
    requires transitive zonegate.wireguard;
    requires zonegate.packet;
    requires transitive zonegate.filter;
    requires zonegate.nat64;
    requires zonegate.shell;
    requires tools.jackson.databind;
    requires info.picocli;
    requires org.tinylog.api;
    requires java.logging;
    requires org.tinylog.impl;
    requires jdk.unsupported;
    requires jdk.httpserver;
    requires jdk.net;
    requires java.management;

    exports zonegate.app.spi;
    exports zonegate.app.embed;

    uses zonegate.app.spi.ControlPlaneProvider;
    provides zonegate.app.spi.ControlPlaneProvider
            with zonegate.app.internal.controlplane.StaticControlPlaneProvider;

    opens zonegate.app.cli to info.picocli;
    // tinylog finds writers through META-INF/services (not `provides`: its writers take a Map
    // constructor) and instantiates them reflectively from its API module.
    exports zonegate.app.internal.log to org.tinylog.api;
}
