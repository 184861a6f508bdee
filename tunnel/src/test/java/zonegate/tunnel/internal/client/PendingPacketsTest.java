package zonegate.tunnel.internal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static zonegate.tunnel.internal.client.TestPackets.echoRequest;
import static zonegate.tunnel.internal.client.TestPackets.syn;
import static zonegate.tunnel.internal.client.TestPackets.tcp;
import static zonegate.tunnel.internal.client.TestPackets.udp;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import zonegate.packet.TcpView;

class PendingPacketsTest {
    private static final String CLIENT = "100.64.0.2";
    private static final String CLIENT6 = "fd00:2021:1111::2";

    private final PendingPackets pending = new PendingPackets();

    @Test
    void drainHandsPacketsOverInOrderAndEmpties() {
        byte[] a = udp(CLIENT, 1, "10.0.0.5", 53, 4);
        byte[] b = echoRequest(CLIENT, "10.0.0.5", 1, 1);
        byte[] c = syn(CLIENT6, 3, "2001:db8::5", 443);
        offer(a);
        offer(b);
        offer(c);

        List<byte[]> drained = drain();

        assertThat(drained).containsExactly(a, b, c);
        assertThat(pending.size()).isZero();
        assertThat(drain()).isEmpty();
    }

    @Test
    void offerCopiesThePacket() {
        byte[] packet = udp(CLIENT, 1, "10.0.0.5", 53, 4);
        byte[] original = packet.clone();
        offer(packet);

        packet[packet.length - 1] ^= 0x55;

        assertThat(drain()).containsExactly(original);
    }

    @Test
    void offerReadsOnlyTheGivenRegion() {
        byte[] packet = udp(CLIENT, 1, "10.0.0.5", 53, 4);
        ByteBuffer framed = ByteBuffer.allocate(packet.length + 20);
        framed.put(7, packet);

        pending.offer(framed, 7, packet.length);

        assertThat(drain()).containsExactly(packet);
    }

    @Test
    void beyondTheBoundTheOldestIsDroppedAndCounted() {
        PendingPackets small = new PendingPackets(3);
        List<byte[]> packets = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            packets.add(udp(CLIENT, 1000 + i, "10.0.0.5", 53, 4));
            small.offer(ByteBuffer.wrap(packets.get(i)), 0, packets.get(i).length);
        }

        List<byte[]> drained = new ArrayList<>();
        small.drain(b -> drained.add(bytes(b)));

        assertThat(small.dropped()).isEqualTo(2);
        assertThat(drained).containsExactly(packets.get(2), packets.get(3), packets.get(4));
    }

    @Test
    void theDefaultBoundIs128() {
        for (int i = 0; i < 200; i++) {
            offer(udp(CLIENT, 1000 + i, "10.0.0.5", 53, 4));
        }

        assertThat(pending.size()).isEqualTo(128);
        assertThat(pending.dropped()).isEqualTo(72);
    }

    @Test
    void anExactDuplicateIsNotAddedAgain() {
        byte[] query = udp(CLIENT, 5353, "10.0.0.53", 53, 30);
        byte[] other = udp(CLIENT, 5353, "10.0.0.53", 53, 31);

        boolean first = offer(query);
        boolean again = offer(query.clone());
        offer(other);

        assertThat(first).isTrue();
        assertThat(again).isFalse();
        assertThat(drain()).containsExactly(query, other);
        assertThat(pending.duplicates()).isEqualTo(1);
        assertThat(pending.dropped()).isZero();
    }

    @Test
    void aDuplicateFromADirectBufferIsRecognisedToo() {
        byte[] query = udp(CLIENT, 5353, "10.0.0.53", 53, 30);
        ByteBuffer direct = ByteBuffer.allocateDirect(query.length + 3);
        direct.put(3, query);
        offer(query);

        boolean again = pending.offer(direct, 3, query.length);

        assertThat(again).isFalse();
        assertThat(pending.size()).isEqualTo(1);
    }

    @Test
    void aRetransmittedSynReplacesTheWaitingOneInItsPlace() {
        byte[] firstSyn = syn(CLIENT, 40_000, "10.0.0.5", 443);
        byte[] udpBetween = udp(CLIENT, 1, "10.0.0.5", 53, 4);
        byte[] retransmit = TestPackets.withIdentification(firstSyn, 0x4242);
        offer(firstSyn);
        offer(udpBetween);

        boolean accepted = offer(retransmit);

        assertThat(accepted).isTrue();
        assertThat(drain()).containsExactly(retransmit, udpBetween);
    }

    @Test
    void ipv6SynRetransmissionsAreReplacedToo() {
        byte[] first = syn(CLIENT6, 40_000, "2001:db8::5", 443);
        byte[] retransmit = tcp(CLIENT6, 40_000, "2001:db8::5", 443, TcpView.SYN, 4);
        offer(first);

        offer(retransmit);

        assertThat(drain()).containsExactly(retransmit);
    }

    @Test
    void synsOfOtherFlowsAreKeptApart() {
        byte[] a = syn(CLIENT, 40_000, "10.0.0.5", 443);
        byte[] b = syn(CLIENT, 40_001, "10.0.0.5", 443);
        byte[] c = syn(CLIENT, 40_000, "10.0.0.6", 443);
        offer(a);
        offer(b);
        offer(c);

        assertThat(drain()).containsExactly(a, b, c);
    }

    @Test
    void aSynAckDoesNotReplaceAWaitingSyn() {
        byte[] synPacket = syn(CLIENT, 40_000, "10.0.0.5", 443);
        byte[] synAck = tcp(CLIENT, 40_000, "10.0.0.5", 443, TcpView.SYN | TcpView.ACK, 0);
        offer(synPacket);

        offer(synAck);

        assertThat(drain()).containsExactly(synPacket, synAck);
    }

    @Test
    void unparseableBytesWaitLikeAnyOtherPacket() {
        byte[] junk = {(byte) 0x45, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        byte[] notIp = {0x00};

        offer(junk);
        offer(notIp);
        offer(junk);

        assertThat(drain()).containsExactly(junk, notIp);
    }

    @Test
    void emptyPacketsAreRefusedAndCounted() {
        boolean accepted = pending.offer(ByteBuffer.allocate(4), 0, 0);

        assertThat(accepted).isFalse();
        assertThat(pending.size()).isZero();
        assertThat(pending.dropped()).isEqualTo(1);
    }

    @Test
    void clearForgetsWaitingPackets() {
        offer(udp(CLIENT, 1, "10.0.0.5", 53, 4));

        pending.clear();

        assertThat(pending.size()).isZero();
        assertThat(drain()).isEmpty();
    }

    @Test
    void slotsAreReusedWithTheirNewLength() {
        offer(udp(CLIENT, 1, "10.0.0.5", 53, 1_000));
        drain();
        byte[] small = udp(CLIENT, 2, "10.0.0.5", 53, 1);

        offer(small);

        assertThat(drain()).containsExactly(small);
    }

    @Test
    void offeringFromInsideDrainIsAProgrammingError() {
        byte[] packet = udp(CLIENT, 1, "10.0.0.5", 53, 4);
        offer(packet);

        assertThatThrownBy(() -> pending.drain(b -> offer(packet))).isInstanceOf(IllegalStateException.class);
        assertThat(pending.size()).isZero();
    }

    private boolean offer(byte[] packet) {
        return pending.offer(ByteBuffer.wrap(packet), 0, packet.length);
    }

    private List<byte[]> drain() {
        List<byte[]> out = new ArrayList<>();
        pending.drain(b -> out.add(bytes(b)));
        return out;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] copy = new byte[buffer.remaining()];
        buffer.get(buffer.position(), copy);
        return copy;
    }
}
