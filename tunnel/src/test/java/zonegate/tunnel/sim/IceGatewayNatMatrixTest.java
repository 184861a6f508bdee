package zonegate.tunnel.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.tunnel.sim.SimWorld.OFFICE_HOST;
import static zonegate.tunnel.sim.SimWorld.office;
import static zonegate.tunnel.sim.SimWorld.permanent;
import static zonegate.tunnel.sim.TunnelSim.MS;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.extension.ExtendWith;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;

/**
 * A seeded property over NAT placements and lossy links: whatever NATs the client and the gateway sit
 * behind (or none), with 2% loss on every hop, the client connects through the relay or directly and its
 * pings to a CIDR resource and to a public IPv6 address through the Internet resource come back, in order,
 * each answering its own request.
 */
@ExtendWith(NoErrorLogs.class)
class IceGatewayNatMatrixTest {
    private static final Nat.Type[] PLACEMENTS = {null, Nat.Type.FULL_CONE, Nat.Type.ADDRESS_RESTRICTED,
            Nat.Type.PORT_RESTRICTED, Nat.Type.SYMMETRIC};

    /** Seeded cases: (seed, client NAT, gateway NAT); null stands for a public address. */
    static Stream<Arguments> cases() {
        SplittableRandom cases = new SplittableRandom(901);
        return Stream.generate(() -> Arguments.of(cases.nextLong(), PLACEMENTS[cases.nextInt(PLACEMENTS.length)],
                PLACEMENTS[cases.nextInt(PLACEMENTS.length)])).limit(12);
    }

    @ParameterizedTest(name = "seed {0}, client {1}, gateway {2}")
    @MethodSource("cases")
    void pingsComeBackInOrderWhateverTheNatsWithTwoPercentLoss(long seed, Nat.Type clientNat, Nat.Type gatewayNat) {
        String name = "seed " + seed + ", client " + clientNat + ", gateway " + gatewayNat;
        SimWorld w = SimWorld.unconnected(seed, clientNat, gatewayNat);
        w.net().lossRate = 0.02;
        w.net().controlPlane.connect(w.client(), w.gateway(), permanent(office()),
                permanent(new Resource.Internet(ResourceId.of("internet"))));
        w.awaitClientConnected();

        List<Integer> sequences = new ArrayList<>();
        int mark = w.client().tun.size();
        for (int s = 0; s < 40; s++) {
            String destination = s % 2 == 0 ? OFFICE_HOST : "2606:4700::1111";
            String source = s % 2 == 0 ? w.client().ipv4 : w.client().ipv6;
            w.client().send(w.gateway(), SimPackets.echoRequest(source, destination, 7, s));
            w.net().runFor(20 * MS);
        }
        w.net().runFor(200 * MS);
        for (byte[] reply : w.client().tunSince(mark)) {
            assertThat(SimPackets.isEchoReply(reply)).as(name).isTrue();
            int sequence = ByteBuffer.wrap(reply).getShort(reply[0] >> 4 == 4 ? 26 : 46) & 0xFFFF;
            assertThat(SimPackets.source(reply)).as(name)
                    .isEqualTo(sequence % 2 == 0 ? OFFICE_HOST : "2606:4700::1111");
            sequences.add(sequence);
        }
        assertThat(sequences).as(name).isSorted().doesNotHaveDuplicates().hasSizeGreaterThanOrEqualTo(32);
    }
}
