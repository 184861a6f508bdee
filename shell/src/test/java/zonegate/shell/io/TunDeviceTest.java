package zonegate.shell.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** TUN devices, interface settings and rtnetlink, each in a namespace made for the test. */
class TunDeviceTest {
    private static final int TUN_ADDRESS = IcmpEcho.ipv4(100, 64, 0, 1);
    private static final int PEER = IcmpEcho.ipv4(100, 64, 0, 2);

    private TestNamespace namespace;

    @BeforeEach
    void createNamespace() throws Exception {
        namespace = TestNamespace.create();
    }

    @AfterEach
    void deleteNamespace() throws Exception {
        if (namespace != null) {
            namespace.close();
        }
    }

    @Test
    void kernelAnswersAnEchoRequestWrittenIntoTheDevice() throws Exception {
        try (TunDevice tun = namespace.call(() -> configuredDevice("zgtun0", 1))) {
            ByteBuffer request = ByteBuffer.allocateDirect(2048);
            IcmpEcho.writeRequest(request, PEER, TUN_ADDRESS, 0x1234, 1);

            assertThat(tun.queue(0).write(request)).isEqualTo(request.limit());

            assertThat(awaitEchoReply(tun, 0x1234, 1)).isTrue();
        }
    }

    @Test
    void interfaceGetsItsMtuAddressesAndRoutes() throws Exception {
        try (TunDevice tun = namespace.call(() -> configuredDevice("zgtun1", 1))) {
            assertThat(namespace.call(() -> LinkControl.mtu(tun.name()))).isEqualTo(1280);
            assertThat(namespace.call(() -> LinkControl.isUp(tun.name()))).isTrue();
            assertThat(namespace.exec("ip", "-4", "addr", "show", "dev", tun.name())).contains("100.64.0.1/32");
            assertThat(namespace.exec("ip", "-4", "route", "show", "dev", tun.name())).contains("100.64.0.0/24");
            assertThat(namespace.exec("ip", "-6", "addr", "show", "dev", tun.name())).contains("fd00:2021:1111::1/128");
            assertThat(namespace.exec("ip", "-6", "route", "show", "dev", tun.name())).contains("fd00:2021:1111::/107");
        }
    }

    @Test
    void multiQueueDeviceHasOneFdPerQueueAndAnswersOnEither() throws Exception {
        try (TunDevice tun = namespace.call(() -> configuredDevice("zgtun2", 2))) {
            assertThat(tun.queueCount()).isEqualTo(2);
            assertThat(tun.queue(0).fd()).isNotEqualTo(tun.queue(1).fd());
            assertThat(namespace.exec("ip", "-d", "link", "show", "dev", tun.name())).contains("multi_queue");
            ByteBuffer request = ByteBuffer.allocateDirect(2048);
            IcmpEcho.writeRequest(request, PEER, TUN_ADDRESS, 0x4321, 7);

            tun.queue(1).write(request);

            assertThat(awaitEchoReply(tun, 0x4321, 7)).isTrue();
        }
    }

    @Test
    void readOfAnIdleQueueReturnsWouldBlockAtOnce() throws Exception {
        try (TunDevice tun = namespace.call(() -> TunDevice.open("zgtun3", 1))) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(2048);
            long startNs = System.nanoTime();

            int n = tun.queue(0).read(buffer);

            assertThat(n).isEqualTo(TunQueue.WOULD_BLOCK);
            assertThat(System.nanoTime() - startNs).isLessThan(TimeUnit.SECONDS.toNanos(2));
        }
    }

    @Test
    void routeToAMissingInterfaceFailsWithTheKernelsErrno() throws Exception {
        assertThatThrownBy(() -> namespace.call(() -> {
            try (Rtnetlink netlink = Rtnetlink.open()) {
                netlink.addRoute(999_999, InetAddress.ofLiteral("100.64.0.0"), 24);
            }
            return null;
        })).isInstanceOf(NativeIoException.class).hasMessageContaining("RTM_NEWROUTE 100.64.0.0/24")
                .hasMessageContaining("ENODEV");
    }

    @Test
    void offloadsAreGrantedOnEveryQueueOfAMultiQueueDevice() throws Exception {
        try (TunDevice tun = namespace.call(() -> configuredDevice("zgtun5", 2, true))) {
            assertThat(tun.offloads() & (TunDevice.TUN_F_CSUM | TunDevice.TUN_F_TSO4 | TunDevice.TUN_F_TSO6))
                    .isEqualTo(TunDevice.TUN_F_CSUM | TunDevice.TUN_F_TSO4 | TunDevice.TUN_F_TSO6);
            assertThat(tun.queues()).allSatisfy(queue -> assertThat(queue.vnetHeader()).isTrue());
        }
    }

    @Test
    void withoutOffloadsTheDeviceHasNoVnetHeader() throws Exception {
        try (TunDevice tun = namespace.call(() -> TunDevice.open("zgtun6", 1, false))) {
            assertThat(tun.offloads()).isZero();
            assertThat(tun.queue(0).vnetHeader()).isFalse();
        }
    }

    @Test
    void anOffloadSetTheKernelRefusesFallsBackToTheNextOne() throws Exception {
        int unknownFlag = 0x4000_0000;
        int[] attempts = {TunDevice.TUN_F_CSUM | TunDevice.TUN_F_TSO4 | unknownFlag,
            TunDevice.TUN_F_CSUM | TunDevice.TUN_F_TSO4};
        try (TunDevice tun = namespace.call(() -> TunDevice.open("zgtun7", 2, attempts))) {
            assertThat(tun.offloads()).isEqualTo(TunDevice.TUN_F_CSUM | TunDevice.TUN_F_TSO4);
            assertThat(tun.queues()).allSatisfy(queue -> assertThat(queue.vnetHeader()).isTrue());
        }
    }

    @Test
    void whenTheKernelRefusesEveryOffloadTheDeviceHasNoVnetHeader() throws Exception {
        int[] attempts = {TunDevice.TUN_F_CSUM | 0x4000_0000};
        try (TunDevice tun = namespace.call(() -> TunDevice.open("zgtun8", 1, attempts))) {
            assertThat(tun.offloads()).isZero();
            assertThat(tun.queue(0).vnetHeader()).isFalse();
        }
    }

    @Test
    void offloadNamesListTheGrantedFlags() {
        assertThat(TunDevice.offloadNames(TunDevice.TUN_F_CSUM | TunDevice.TUN_F_TSO4 | TunDevice.TUN_F_USO6))
                .isEqualTo("csum,tso4,uso6");
        assertThat(TunDevice.offloadNames(0)).isEqualTo("none");
    }

    @Test
    void heapBuffersAreRefused() throws Exception {
        try (TunDevice tun = namespace.call(() -> TunDevice.open("zgtun4", 1))) {
            assertThatThrownBy(() -> tun.queue(0).read(ByteBuffer.allocate(64)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** Runs on the namespace thread: device up with 100.64.0.1/32, 100.64.0.0/24, and IPv6 likewise. */
    static TunDevice configuredDevice(String name, int queues) throws Exception {
        return configuredDevice(name, queues, false);
    }

    static TunDevice configuredDevice(String name, int queues, boolean offload) throws Exception {
        TunDevice tun = TunDevice.open(name, queues, offload);
        try {
            LinkControl.setMtu(tun.name(), LinkControl.DEFAULT_MTU_BYTES);
            LinkControl.setUp(tun.name());
            int index = LinkControl.index(tun.name());
            try (Rtnetlink netlink = Rtnetlink.open()) {
                netlink.addAddress(index, InetAddress.ofLiteral("100.64.0.1"), 32);
                netlink.addRoute(index, InetAddress.ofLiteral("100.64.0.0"), 24);
                netlink.addAddress(index, InetAddress.ofLiteral("fd00:2021:1111::1"), 128);
                netlink.addRoute(index, InetAddress.ofLiteral("fd00:2021:1111::"), 107);
            }
            return tun;
        } catch (Exception e) {
            tun.close();
            throw e;
        }
    }

    /** Reads every queue until the echo reply shows up (skipping IPv6 noise such as router solicitations), for 5 s at most. */
    static boolean awaitEchoReply(TunDevice tun, int identifier, int sequence) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocateDirect(2048);
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadlineNs) {
            for (TunQueue queue : tun.queues()) {
                buffer.clear();
                if (queue.read(buffer) > 0 && IcmpEcho.isReply(buffer, PEER, identifier, sequence)) {
                    return true;
                }
            }
            Thread.sleep(5);
        }
        return false;
    }
}
