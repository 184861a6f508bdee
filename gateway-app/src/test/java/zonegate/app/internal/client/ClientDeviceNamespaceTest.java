package zonegate.app.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import zonegate.filter.Cidr;
import zonegate.filter.TunnelAddresses;
import zonegate.shell.io.LinkControl;
import zonegate.shell.io.TunDevice;
import zonegate.shell.io.UdpSocket;
import zonegate.tunnel.TunConfig;

/** The client's device set-up on a real TUN device, in a namespace of the test's own (root only). */
class ClientDeviceNamespaceTest {
    private static final String TUN = "zgct0";
    private static final TunnelAddresses OWN = TunnelAddresses.of("100.64.0.7", "fd00:2021:1111::7");
    private static final InetAddress PORTAL = InetAddress.ofLiteral("192.0.2.80");

    private ClientNamespace ns;
    private TunDevice device;
    private DeviceRoutes routes;

    @BeforeEach
    void setUp() throws Exception {
        ns = ClientNamespace.create();
        device = ns.call(() -> {
            TunDevice d = TunDevice.open(TUN, ClientRuntime.TUN_QUEUES);
            LinkControl.setUp(d.name());
            return d;
        });
        int index = ns.call(() -> LinkControl.index(TUN));
        routes = new DeviceRoutes(new NetlinkDevice(index), List.of(PORTAL));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (device != null) {
            device.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void routesAreAddedAndRemovedByDifference() throws Exception {
        ns.call(() -> {
            routes.apply(config("10.0.0.0/24", "10.1.0.0/16"));
            routes.apply(config("10.1.0.0/16", "10.2.0.0/16"));
            return null;
        });

        String shown = ns.exec("ip", "-4", "route", "show", "dev", TUN);
        assertThat(shown).contains("10.1.0.0/16", "10.2.0.0/16").doesNotContain("10.0.0.0/24");
        assertThat(ns.exec("ip", "-4", "addr", "show", "dev", TUN)).contains("100.64.0.7/32");
    }

    @Test
    void theInternetResourceUsesItsTableAndAFwmarkRule() throws Exception {
        ns.call(() -> {
            routes.apply(config("0.0.0.0/0"));
            return null;
        });

        assertThat(ns.exec("ip", "-4", "route", "show", "table", String.valueOf(DeviceRoutes.INTERNET_TABLE)))
                .contains("default dev " + TUN);
        assertThat(ns.exec("ip", "-4", "rule", "show")).contains(
                DeviceRoutes.PORTAL_PRIORITY + ":\tfrom all to 192.0.2.80 lookup main",
                DeviceRoutes.MAIN_PRIORITY + ":\tfrom all lookup main suppress_prefixlength 0",
                DeviceRoutes.INTERNET_PRIORITY + ":\tnot from all fwmark 0x7a67 lookup " + DeviceRoutes.INTERNET_TABLE);
    }

    @Test
    void closingRemovesTheRules() throws Exception {
        ns.call(() -> {
            routes.apply(config("0.0.0.0/0", "::/0"));
            routes.close();
            return null;
        });

        assertThat(ns.exec("ip", "-4", "rule", "show")).doesNotContain("fwmark", "suppress_prefixlength");
        assertThat(ns.exec("ip", "-6", "rule", "show")).doesNotContain("fwmark", "suppress_prefixlength");
    }

    @Test
    void leftoverRulesOfACrashedClientAreRemovedAtStart() throws Exception {
        ns.call(() -> {
            routes.apply(config("0.0.0.0/0"));
            DeviceRoutes.removeLeftovers(new NetlinkDevice(0));
            return null;
        });

        assertThat(ns.exec("ip", "-4", "rule", "show")).doesNotContain("fwmark", "suppress_prefixlength", "192.0.2.80");
    }

    @Test
    void theClientsSocketsCarryItsFwmark() throws Exception {
        int mark = ns.call(() -> {
            try (UdpSocket socket = UdpSocket.open(new InetSocketAddress("0.0.0.0", 0), 1 << 16)) {
                socket.setMark(DeviceRoutes.FWMARK);
                return socket.mark();
            }
        });

        assertThat(mark).isEqualTo(DeviceRoutes.FWMARK);
    }

    @Test
    void newQueuesAttachedBeforeTheOldCloseKeepTheDeviceAndItsRoutes() throws Exception {
        ns.call(() -> {
            routes.apply(config("10.0.0.0/24"));
            return null;
        });
        int before = ns.call(() -> LinkControl.index(TUN));

        TunDevice attached = ns.call(() -> TunDevice.open(TUN, ClientRuntime.TUN_QUEUES));
        device.close();
        device = attached;

        assertThat(ns.call(() -> LinkControl.index(TUN))).isEqualTo(before);
        assertThat(ns.exec("ip", "-4", "route", "show", "dev", TUN)).contains("10.0.0.0/24");
    }

    private static TunConfig config(String... ranges) {
        return new TunConfig(OWN, Map.of(), java.util.Arrays.stream(ranges).map(Cidr::parse).toList());
    }
}
