package zonegate.nat64;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import zonegate.packet.IpPacket;

/** The shared port space: which table a resource's packet belongs to, and each table's share of it. */
class SharedPortSpaceTest {
    private static final long NOW = 1_000_000_000_000L;
    private static final int RESOLVED4 = 0xC6336401;                      // 198.51.100.1
    private static final int PROXY4 = 0x64600001;                         // 100.96.0.1
    private final ByteBuffer out = ByteBuffer.allocate(2048);

    @Test
    void anIcmpErrorNotSentToTheSourceOfThePacketItQuotesFindsNoFlow() {
        SharedPortSpace ports = new SharedPortSpace(64, new SplittableRandom(1));
        DnsNatTable alice = table("alice", 0x64400005, 16, ports);
        int n = alice.translateOutbound(udpFromClient(0x64400005, 5000), NOW, out, 0, out.capacity());
        byte[] sent = Packets.bytes(out, 0, n);
        byte[] toAlice = Packets.ipv4(0, 7, 0, 64, Packets.ICMP, RESOLVED4, 0x64400005, Packets.icmp(3, 3, 0, sent));
        byte[] toBob = Packets.ipv4(0, 7, 0, 64, Packets.ICMP, RESOLVED4, 0x64400006, Packets.icmp(3, 3, 0, sent));

        int misdirected = ports.translateInbound(Packets.parse(toBob), NOW, out, 0, out.capacity());
        int addressed = ports.translateInbound(Packets.parse(toAlice), NOW, out, 0, out.capacity());

        assertThat(DropReason.ofResult(misdirected)).isEqualTo(DropReason.NO_FLOW);
        assertThat(ports.dropCount(DropReason.NO_FLOW)).isOne();
        assertThat(addressed).isPositive();
    }

    @Test
    void aReplyToAnotherTablesFlowIsNotTranslatedForTheExpectedTable() {
        SharedPortSpace ports = new SharedPortSpace(64, new SplittableRandom(2));
        DnsNatTable alice = table("alice", 0x64400005, 16, ports);
        DnsNatTable bob = table("bob", 0x64400006, 16, ports);
        bob.translateOutbound(udpFromClient(0x64400006, 5000), NOW, out, 0, out.capacity());
        IpPacket reply = Packets.parse(Packets.ipv4(0, 1, 0, 64, Packets.UDP, RESOLVED4, 0x64400006,
                Packets.udp(53, 5000, new byte[4])));

        int result = ports.translateInbound(reply, alice, NOW, out, 0, out.capacity());

        assertThat(DropReason.ofResult(result)).isEqualTo(DropReason.NO_FLOW);
        assertThat(ports.lastTable()).isNull();
    }

    @Test
    void noTableHoldsMoreThanItsCapOfTheSpace() {
        SharedPortSpace ports = new SharedPortSpace(64, 0, 4, new SplittableRandom(3));
        DnsNatTable alice = table("alice", 0x64400005, 16, ports);

        List<Integer> results = open(alice, 0x64400005, 5);

        assertThat(results.subList(0, 4)).allSatisfy(r -> assertThat(r).isPositive());
        assertThat(DropReason.ofResult(results.get(4))).isEqualTo(DropReason.CLIENT_SHARE_EXHAUSTED);
        assertThat(alice.dropCount(DropReason.CLIENT_SHARE_EXHAUSTED)).isOne();
        assertThat(ports.flowsOf(alice)).isEqualTo(4);
    }

    @Test
    void sixteenGreedyTablesCannotStarveASeventeenthOfItsReservation() {
        SharedPortSpace ports = new SharedPortSpace(64, 2, 16, new SplittableRandom(4));
        List<DnsNatTable> greedy = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            greedy.add(table("greedy" + i, 0x64400010 + i, 16, ports));
        }
        DnsNatTable late = table("late", 0x64400040, 16, ports);

        for (int i = 0; i < 16; i++) {
            open(greedy.get(i), 0x64400010 + i, 16);
        }
        List<Integer> lateResults = open(late, 0x64400040, 3);

        assertThat(lateResults.subList(0, 2)).allSatisfy(r -> assertThat(r).isPositive());
        assertThat(DropReason.ofResult(lateResults.get(2))).isEqualTo(DropReason.PORT_SPACE_EXHAUSTED);
        assertThat(greedy).allSatisfy(t -> assertThat(ports.flowsOf(t)).isGreaterThanOrEqualTo(2));
        assertThat(ports.size()).isEqualTo(64);
    }

    @Test
    void aRemovedTablesReservationReturnsToTheOthers() {
        SharedPortSpace ports = new SharedPortSpace(8, 4, 8, new SplittableRandom(5));
        DnsNatTable alice = table("alice", 0x64400005, 16, ports);
        DnsNatTable bob = table("bob", 0x64400006, 16, ports);
        assertThat(open(alice, 0x64400005, 5).get(4)).isNegative();

        ports.removeTable(bob);

        assertThat(open(alice, 0x64400005, 1).getFirst()).isPositive();
    }

    @Test
    void theSpaceGrowsPastItsFirstSlotsUpToItsCapacityAndFindsEveryFlow() {
        int capacity = 4 * SharedPortSpace.INITIAL_SLOTS;
        SharedPortSpace ports = new SharedPortSpace(capacity, new SplittableRandom(6));
        DnsNatTable alice = table("alice", 0x64400005, capacity + 1, ports);

        List<Integer> results = open(alice, 0x64400005, capacity + 1);

        assertThat(results.subList(0, capacity)).allSatisfy(r -> assertThat(r).isPositive());
        assertThat(DropReason.ofResult(results.getLast())).isEqualTo(DropReason.PORT_SPACE_EXHAUSTED);
        assertThat(ports.size()).isEqualTo(capacity);
        for (int port = 10_000; port < 10_000 + capacity; port += 97) {
            IpPacket reply = Packets.parse(Packets.ipv4(0, 1, 0, 64, Packets.UDP, RESOLVED4, 0x64400005,
                    Packets.udp(53, port, new byte[4])));
            assertThat(ports.translateInbound(reply, NOW, out, 0, out.capacity())).as("reply to port %d", port)
                    .isPositive();
            assertThat(ports.lastTable()).isSameAs(alice);
        }
    }

    @Test
    void aTablesFlowsGrowPastTheirFirstIdsUpToItsMaximumAndEveryOneAnswers() {
        SharedPortSpace ports = new SharedPortSpace(8192, new SplittableRandom(7));
        DnsNatTable alice = table("alice", 0x64400005, 1000, ports);

        List<Integer> results = open(alice, 0x64400005, 1001);

        assertThat(results.subList(0, 1000)).allSatisfy(r -> assertThat(r).isPositive());
        assertThat(DropReason.ofResult(results.getLast())).isEqualTo(DropReason.TABLE_FULL);
        assertThat(alice.size()).isEqualTo(1000);
        for (int port = 10_000; port < 11_000; port += 37) {
            IpPacket reply = Packets.parse(Packets.ipv4(0, 1, 0, 64, Packets.UDP, RESOLVED4, 0x64400005,
                    Packets.udp(53, port, new byte[4])));
            assertThat(ports.translateInbound(reply, NOW, out, 0, out.capacity())).as("reply to port %d", port)
                    .isPositive();
        }
        alice.handleTimeout(NOW + 3_600_000_000_000L);
        assertThat(alice.size()).as("every flow expires").isZero();
        assertThat(ports.size()).isZero();
    }

    private List<Integer> open(DnsNatTable table, int client, int flows) {
        List<Integer> results = new ArrayList<>();
        int first = 10_000 + ports(table);
        for (int i = 0; i < flows; i++) {
            results.add(table.translateOutbound(udpFromClient(client, first + i), NOW, out, 0, out.capacity()));
        }
        return results;
    }

    /** Distinct source ports for each call on a table: its live flows so far. */
    private static int ports(DnsNatTable table) {
        return table.size();
    }

    /** A table whose flows leave from the client's own address (as the gateway's do), added to {@code ports}. */
    private static DnsNatTable table(String name, int client, int maxFlows, SharedPortSpace ports) {
        NatConfig config = NatConfig.defaults(client, 0xFD00_2021_1111_0000L, client & 0xFF).withMaxFlows(maxFlows);
        DnsNatTable table = new DnsNatTable(name, config, ports, new SplittableRandom(name.hashCode()));
        table.setDomain("example.com", List.<InetAddress>of(Addresses.toInet4(PROXY4)),
                List.of(Addresses.toInet4(RESOLVED4)));
        ports.addTable(table);
        return table;
    }

    private static IpPacket udpFromClient(int client, int sourcePort) {
        return Packets.parse(Packets.ipv4(0, 1, 0, 64, Packets.UDP, client, PROXY4,
                Packets.udp(sourcePort, 53, new byte[4])));
    }
}
