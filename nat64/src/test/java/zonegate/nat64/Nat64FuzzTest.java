package zonegate.nat64;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
import zonegate.packet.IpPacket;
import zonegate.packet.PacketParser;

/**
 * Arbitrary packets never make the translator or the NAT table throw, a result is either a drop code or a
 * length within the output region, and the table never holds more than its bound. In regression mode
 * (the default) these replay the corpora under
 * {@code src/test/resources/zonegate/nat64/Nat64FuzzTestInputs/<method>/}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class Nat64FuzzTest {
    private static final int BOUND = 8;
    private final PacketParser parser = new PacketParser();
    private final ByteBuffer out = ByteBuffer.allocate(1600);

    @FuzzTest(maxDuration = "10s")
    void translatesArbitraryPacketsWithoutThrowing(byte[] data) {
        Nat64Translator translator = new Nat64Translator(Nat64Prefix.WELL_KNOWN, true, new SplittableRandom(1));
        IpPacket packet = parser.parseOrNull(ByteBuffer.wrap(data), 0, data.length);
        if (packet == null) {
            return;
        }
        int result = packet.version() == 4 ? translator.translate4to6(packet, out, 0, out.capacity())
                : translator.translate6to4(packet, out, 0, out.capacity());
        if (result > out.capacity()) {
            throw new AssertionError("result beyond the output region: " + result);
        }
        if (result < 0) {
            DropReason.ofResult(result);
        } else if (new PacketParser().parseOrNull(out, 0, result) == null) {
            throw new AssertionError("translated packet does not parse");
        }
    }

    @FuzzTest(maxDuration = "10s")
    void natTableSurvivesArbitraryPacketsAndStaysWithinItsBound(FuzzedDataProvider data) {
        SharedPortSpace ports = new SharedPortSpace(BOUND * 2, new SplittableRandom(2));
        DnsNatTable table = new DnsNatTable("fuzz", NatConfig.defaults(0xCB007101, 0x2001_0DB8_FFFF_0000L, 1)
                .withMaxFlows(BOUND), ports, new SplittableRandom(3));
        table.setDomain("v4.example", List.of(v4(0x64600001), v6(1)), List.of(v4(0xC6336401)));
        table.setDomain("v6.example", List.of(v4(0x64600002), v6(2)), List.of(v6(0x99)));
        long now = 0;
        while (data.remainingBytes() > 0) {
            now += data.consumeLong(0, 200_000_000_000L);
            boolean outbound = data.consumeBoolean();
            byte[] bytes = data.consumeBytes(data.consumeInt(0, 1500));
            IpPacket packet = parser.parseOrNull(ByteBuffer.wrap(bytes), 0, bytes.length);
            if (packet != null) {
                int result = outbound ? table.translateOutbound(packet, now, out, 0, out.capacity())
                        : ports.translateInbound(packet, now, out, 0, out.capacity());
                if (result > out.capacity()) {
                    throw new AssertionError("result beyond the output region");
                }
            }
            if (data.consumeBoolean()) {
                table.handleTimeout(now);
            }
            if (table.size() > BOUND || ports.size() > ports.capacity() || ports.size() != table.size()) {
                throw new AssertionError("bound broken: " + table.size() + " flows, " + ports.size() + " ports");
            }
        }
    }

    private static InetAddress v4(int address) {
        return Addresses.toInet4(address);
    }

    private static InetAddress v6(long low) {
        return Addresses.toInet6(0xFD00_2021_1111_8000L, low);
    }
}
