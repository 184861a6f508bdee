package zonegate.app.internal.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import zonegate.packet.UdpWriter;

class GatewayDriverFlowHashTest {
    @Test
    void packetsOfOneFlowHashAlikeWhateverTheirPayload() {
        int first = GatewayDriver.flowHash(udp4(40000, 53, 10));
        int second = GatewayDriver.flowHash(udp4(40000, 53, 900));

        assertThat(second).isEqualTo(first);
    }

    @Test
    void flowsThatDifferOnlyInTheirPortsSpreadOverQueues() {
        Set<Integer> queues = new HashSet<>();
        for (int port = 40000; port < 40064; port++) {
            queues.add(Math.floorMod(GatewayDriver.flowHash(udp4(port, 443, 32)), 4));
        }

        assertThat(queues).hasSize(4);
    }

    @Test
    void ipv6FlowsHashByAddressesAndPorts() {
        int one = GatewayDriver.flowHash(udp6(40000));
        int same = GatewayDriver.flowHash(udp6(40000));
        int other = GatewayDriver.flowHash(udp6(40001));

        assertThat(same).isEqualTo(one);
        assertThat(other).isNotEqualTo(one);
    }

    @Test
    void runtAndUnknownPacketsHashToZeroWithoutThrowing() {
        assertThat(GatewayDriver.flowHash(ByteBuffer.allocate(3))).isZero();
        assertThat(GatewayDriver.flowHash(ByteBuffer.wrap(new byte[40]))).isZero();
    }

    private static ByteBuffer udp4(int sourcePort, int destinationPort, int payloadBytes) {
        ByteBuffer out = ByteBuffer.allocate(2048);
        int n = UdpWriter.writeIpv4(0x64400002, sourcePort, 0xC0000201, destinationPort,
                ByteBuffer.allocate(payloadBytes), 0, payloadBytes, out, 0, out.capacity());
        return out.limit(n);
    }

    private static ByteBuffer udp6(int sourcePort) {
        ByteBuffer out = ByteBuffer.allocate(2048);
        int n = UdpWriter.writeIpv6(0xFD00_2021_1111_0000L, 2, sourcePort, 0x2001_0DB8_0000_0000L, 1, 443,
                ByteBuffer.allocate(16), 0, 16, out, 0, out.capacity());
        return out.limit(n);
    }
}
