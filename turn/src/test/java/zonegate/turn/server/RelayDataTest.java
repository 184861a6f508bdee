package zonegate.turn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.turn.server.RelayHarness.*;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import zonegate.stun.ChannelDataResult;
import zonegate.stun.ChannelDataView;
import zonegate.stun.ChannelDataWriter;
import zonegate.stun.StunAttributeType;
import zonegate.stun.StunClass;
import zonegate.stun.StunMessageView;
import zonegate.stun.StunMethod;

/** Permissions, channels, SEND/DATA indications and ChannelData both ways. */
class RelayDataTest {
    private static final byte[] PAYLOAD = {1, 2, 3, 4, 5};

    private final RelayHarness h = new RelayHarness();
    private int port;

    @BeforeEach
    void allocate() {
        port = h.allocate(CLIENT);
    }

    private byte[] send(InetSocketAddress peer) {
        return send(h, peer, PAYLOAD);
    }

    private static byte[] send(RelayHarness on, InetSocketAddress peer, byte[] data) {
        return on.message(StunMethod.SEND, StunClass.INDICATION, false, w -> w
                .addAddress(StunAttributeType.XOR_PEER_ADDRESS, peer)
                .addData(ByteBuffer.wrap(data), 0, data.length));
    }

    private static byte[] channelData(int channel, byte[] data) {
        byte[] out = new byte[4 + data.length];
        ChannelDataWriter.write(ByteBuffer.wrap(out), 0, out.length, channel, ByteBuffer.wrap(data), 0,
                data.length, false);
        return out;
    }

    @Test
    void sendIndicationReachesAPermittedPeerFromTheRelayPort() {
        assertThat(h.permit(CLIENT, PEER).messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        h.fromClient(CLIENT, send(PEER));
        RelayTransmit t = h.transmit();
        assertThat(t.relayPort()).isEqualTo(port);
        assertThat(t.destination()).isEqualTo(PEER);
        assertThat(t.bytes()).isEqualTo(PAYLOAD);
        assertThat(h.relay.allocations().getFirst().bytesToPeers()).isEqualTo(PAYLOAD.length);
    }

    @Test
    void sendIndicationToAnUnpermittedPeerIsDropped() {
        h.fromClient(CLIENT, send(PEER));
        assertThat(h.relay.pollTransmit()).isNull();
        assertThat(h.relay.count(RelayCounter.SEND_NO_PERMISSION)).isEqualTo(1);
    }

    @Test
    void peerDataBecomesADataIndicationWithoutAChannel() {
        h.permit(CLIENT, PEER);
        h.fromPeer(port, PEER, PAYLOAD);
        StunMessageView m = h.response(CLIENT);
        assertThat(m.method()).isEqualTo(StunMethod.DATA);
        assertThat(m.messageClass()).isEqualTo(StunClass.INDICATION);
        assertThat(m.xorPeerAddress()).isEqualTo(PEER);
        assertThat(m.valueBytes(StunAttributeType.DATA)).isEqualTo(PAYLOAD);
    }

    @Test
    void dataFromAnUnpermittedPeerIsDropped() {
        h.permit(CLIENT, PEER);
        h.fromPeer(port, new InetSocketAddress(address("203.0.113.6"), 5000), PAYLOAD);
        h.fromPeer(port + 100, PEER, PAYLOAD);
        assertThat(h.relay.pollTransmit()).isNull();
        assertThat(h.relay.count(RelayCounter.PEER_NO_PERMISSION)).isEqualTo(1);
        assertThat(h.relay.count(RelayCounter.PEER_NO_ALLOCATION)).isEqualTo(1);
    }

    @Test
    void permissionCoversEveryPortOfThePeerIp() {
        h.permit(CLIENT, PEER);
        h.fromPeer(port, new InetSocketAddress(PEER.getAddress(), 6000), PAYLOAD);
        assertThat(h.response(CLIENT).method()).isEqualTo(StunMethod.DATA);
    }

    @Test
    void permissionExpiresAfter300Seconds() {
        h.permit(CLIENT, PEER);
        h.advance(299);
        h.fromPeer(port, PEER, PAYLOAD);
        assertThat(h.transmit()).isNotNull();
        h.advance(1);
        h.fromPeer(port, PEER, PAYLOAD);
        assertThat(h.relay.pollTransmit()).isNull();
        assertThat(h.relay.allocations().getFirst().permissions()).isZero();
    }

    @Test
    void channelDataFlowsBothWaysOnceBound() {
        assertThat(h.bind(CLIENT, 0x4001, PEER).messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        h.fromClient(CLIENT, channelData(0x4001, PAYLOAD));
        RelayTransmit out = h.transmit();
        assertThat(out.relayPort()).isEqualTo(port);
        assertThat(out.destination()).isEqualTo(PEER);
        assertThat(out.bytes()).isEqualTo(PAYLOAD);

        h.fromPeer(port, PEER, PAYLOAD);
        RelayTransmit back = h.transmit();
        assertThat(back.destination()).isEqualTo(CLIENT);
        ChannelDataView view = new ChannelDataView();
        assertThat(view.parse(ByteBuffer.wrap(back.bytes()), 0, back.bytes().length))
                .isInstanceOf(ChannelDataResult.Parsed.class);
        assertThat(view.channelNumber()).isEqualTo(0x4001);
        assertThat(view.dataLengthBytes()).isEqualTo(PAYLOAD.length);
        AllocationStats stats = h.relay.allocations().getFirst();
        assertThat(stats.messagesToPeers()).isEqualTo(1);
        assertThat(stats.messagesToClient()).isEqualTo(1);
    }

    @Test
    void rfc5766ChannelAbove4fffIsBoundAndCarriesDataBothWays() {
        assertThat(h.bind(CLIENT, 0x7ADD, PEER).messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);

        h.fromClient(CLIENT, channelData(0x7ADD, PAYLOAD));
        RelayTransmit out = h.transmit();
        h.fromPeer(port, PEER, PAYLOAD);
        RelayTransmit back = h.transmit();

        assertThat(out.destination()).isEqualTo(PEER);
        assertThat(out.bytes()).isEqualTo(PAYLOAD);
        assertThat(back.destination()).isEqualTo(CLIENT);
        assertThat(java.util.Arrays.copyOf(back.bytes(), 4)).containsExactly(0x7A, 0xDD, 0x00, PAYLOAD.length);
    }

    @Test
    void channelNumbersOutsideRfc5766RangeGet400() {
        assertThat(h.bind(CLIENT, 0x8000, PEER).errorCode()).isEqualTo(400);
        assertThat(h.bind(CLIENT, 0xFFFF, PEER).errorCode()).isEqualTo(400);
        assertThat(h.relay.allocations().getFirst().channels()).isZero();
    }

    @Test
    void channelDataOnAnUnboundChannelIsDropped() {
        h.fromClient(CLIENT, channelData(0x4002, PAYLOAD));
        assertThat(h.relay.pollTransmit()).isNull();
        assertThat(h.relay.count(RelayCounter.CHANNEL_UNBOUND)).isEqualTo(1);
    }

    @Test
    void channelBindConflictsGet400() {
        h.bind(CLIENT, 0x4001, PEER);
        InetSocketAddress other = new InetSocketAddress(PEER.getAddress(), 5001);
        assertThat(h.bind(CLIENT, 0x4001, other).errorCode()).isEqualTo(400);
        assertThat(h.bind(CLIENT, 0x4002, PEER).errorCode()).isEqualTo(400);
        assertThat(h.bind(CLIENT, 0x3FFF, other).errorCode()).isEqualTo(400);
        assertThat(h.bind(CLIENT, 0x4001, PEER).messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(h.relay.count(RelayCounter.CHANNEL_CONFLICT)).isEqualTo(2);
    }

    @Test
    void channelExpiresAfter600SecondsWhenNotRefreshed() {
        h.bind(CLIENT, 0x4001, PEER);
        h.call(CLIENT, h.request(StunMethod.REFRESH, w -> w.addLifetime(3600)));
        h.advance(290);
        h.permit(CLIENT, PEER);
        h.advance(290);
        h.permit(CLIENT, PEER);
        h.advance(20);
        h.fromClient(CLIENT, channelData(0x4001, PAYLOAD));
        assertThat(h.relay.pollTransmit()).isNull();
        assertThat(h.relay.allocations().getFirst().channels()).isZero();
    }

    @Test
    void peerOfAnotherFamilyGets443() {
        InetSocketAddress v6 = new InetSocketAddress(address("2001:db8::1"), 5000);
        assertThat(h.permit(CLIENT, v6).errorCode()).isEqualTo(443);
    }

    @Test
    void peerAllowedAsAnExceptionIsPermittedAndCarriesData() {
        RelayHarness lab = new RelayHarness(RelayConfig.of(REALM, RELAY_V4, null, 50000, 50009)
                .withStaticUsers(java.util.Map.of("alice", "wonderland"))
                .withPeerPolicy(PeerPolicy.defaults().allowing(java.util.List.of(Cidr.parse("10.1.0.0/16")))));
        lab.allocate(CLIENT);
        InetSocketAddress allowed = new InetSocketAddress(address("10.1.2.3"), 9);

        assertThat(lab.permit(CLIENT, allowed).messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(lab.permit(CLIENT, new InetSocketAddress(address("10.2.0.1"), 9)).errorCode()).isEqualTo(403);
        lab.fromClient(CLIENT, send(lab, allowed, PAYLOAD));
        assertThat(lab.transmit().destination()).isEqualTo(allowed);
    }

    @Test
    void sendIndicationToARefusedPeerIsDroppedAndCountedAsForbidden() {
        h.fromClient(CLIENT, send(h, new InetSocketAddress(address("192.168.1.1"), 22), PAYLOAD));

        assertThat(h.relay.pollTransmit()).isNull();
        assertThat(h.relay.count(RelayCounter.SEND_FORBIDDEN_PEER)).isEqualTo(1);
        assertThat(h.relay.count(RelayCounter.SEND_NO_PERMISSION)).isZero();
    }

    @Test
    void permissionQuotaGets508() {
        RelayHarness small = new RelayHarness(RelayConfig.of(REALM, RELAY_V4, null, 50000, 50009)
                .withStaticUsers(java.util.Map.of("alice", "wonderland")).withQuotas(10, 9, 2, 1));
        small.allocate(CLIENT);
        small.permit(CLIENT, PEER);
        small.permit(CLIENT, new InetSocketAddress(address("203.0.113.6"), 1));
        assertThat(small.permit(CLIENT, new InetSocketAddress(address("203.0.113.7"), 1)).errorCode())
                .isEqualTo(508);
        assertThat(small.bind(CLIENT, 0x4000, PEER).messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(small.bind(CLIENT, 0x4001, new InetSocketAddress(PEER.getAddress(), 2)).errorCode())
                .isEqualTo(508);
    }

    @Test
    void createPermissionWithoutAllocationGets437() {
        InetSocketAddress other = new InetSocketAddress(CLIENT.getAddress(), 40001);
        h.challenge(other);
        assertThat(h.permit(other, PEER).errorCode()).isEqualTo(437);
    }
}
