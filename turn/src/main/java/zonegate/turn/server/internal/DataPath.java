package zonegate.turn.server.internal;

import static zonegate.stun.StunAttributeType.*;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.random.RandomGenerator;
import org.tinylog.Logger;
import zonegate.stun.ChannelDataView;
import zonegate.stun.ChannelDataWriter;
import zonegate.stun.StunClass;
import zonegate.stun.StunMessageView;
import zonegate.stun.StunMethod;
import zonegate.turn.server.RelayCounter;
import zonegate.turn.server.RelayTransmit;

/**
 * Application data both ways (RFC 8656 sections 10-12): SEND indications and ChannelData from clients to
 * peers, peer datagrams to clients as ChannelData when a channel is bound, else as DATA indications.
 * Only permitted peers pass, in both directions.
 */
public final class DataPath {
    // A DATA indication's body holds XOR-PEER-ADDRESS (24 bytes for IPv6) and DATA's 4-byte header.
    private static final int MAX_INDICATION_DATA = 0xFFFC - 24 - 4;

    private final AllocationTable table;
    private final Responder responder;
    private final Outbox outbox;
    private final RandomGenerator random;
    private final PeerCheck peers;
    private final int[] unknown = new int[1];
    private final byte[] peerAddress = new byte[16];

    /** A data path over the relay's shared parts; {@code random} draws indication transaction ids. */
    public DataPath(AllocationTable table, Responder responder, Outbox outbox, RandomGenerator random,
            PeerCheck peers) {
        this.peers = peers;
        this.table = table;
        this.responder = responder;
        this.outbox = outbox;
        this.random = random;
    }

    /** A SEND indication from {@code client}. */
    public void onSend(StunMessageView m, InetSocketAddress client, long nowNs) {
        Allocation allocation = table.byClient(client);
        int peerIndex = m.indexOf(XOR_PEER_ADDRESS);
        int dataOffset = m.dataOffset();
        if (allocation == null || peerIndex < 0 || dataOffset < 0 || m.unknownComprehensionRequired(unknown) > 0
                || m.addressFamily(peerIndex) != allocation.family) {
            outbox.count(RelayCounter.SEND_MALFORMED);
            return;
        }
        InetSocketAddress peer = m.addressAt(peerIndex);
        if (!allocation.permits(peer.getAddress(), nowNs)) {
            // No permission is ever installed for a refused peer; tell the two apart only for the counters.
            boolean refused = peers.refused(peerAddress, m.copyAddress(peerIndex, peerAddress));
            dropToPeer(allocation, peer, refused ? RelayCounter.SEND_FORBIDDEN_PEER : RelayCounter.SEND_NO_PERMISSION);
            return;
        }
        if (!peers.reachable(peer)) {
            dropToPeer(allocation, peer, RelayCounter.SEND_FORBIDDEN_PEER);
            return;
        }
        toPeer(allocation, peer, m.buffer(), dataOffset, m.dataLengthBytes());
    }

    /** A ChannelData message from {@code client}. */
    public void onChannelData(ChannelDataView cd, InetSocketAddress client, long nowNs) {
        Allocation allocation = table.byClient(client);
        Allocation.Channel channel = allocation == null ? null : allocation.channelsByNumber.get(cd.channelNumber());
        if (channel == null || channel.expiresAtNs <= nowNs) {
            outbox.count(RelayCounter.CHANNEL_UNBOUND);
            return;
        }
        if (!allocation.permits(channel.peer.getAddress(), nowNs)) {
            dropToPeer(allocation, channel.peer, RelayCounter.SEND_NO_PERMISSION);
            return;
        }
        toPeer(allocation, channel.peer, cd.buffer(), cd.dataOffset(), cd.dataLengthBytes());
    }

    private void dropToPeer(Allocation allocation, InetSocketAddress peer, RelayCounter reason) {
        outbox.count(reason);
        Logger.trace("turn drop to peer relay={} peer={} proto=udp port={} rule={}", allocation.relayed, peer,
                peer.getPort(), reason);
    }

    private void toPeer(Allocation allocation, InetSocketAddress peer, ByteBuffer src, int offset, int length) {
        byte[] bytes = new byte[length];
        src.get(offset, bytes);
        if (outbox.transmit(allocation.relayed.getPort(), peer, bytes)) {
            allocation.messagesToPeers++;
            allocation.bytesToPeers += length;
            outbox.count(RelayCounter.RELAYED_TO_PEERS);
        }
    }

    /** A datagram from {@code peer} at relay port {@code relayPort}: bytes {@code [offset, offset + length)}. */
    public void onPeer(int relayPort, InetSocketAddress peer, ByteBuffer src, int offset, int length, long nowNs) {
        Allocation allocation = table.byPort(relayPort);
        if (allocation == null) {
            outbox.count(RelayCounter.PEER_NO_ALLOCATION);
            return;
        }
        if (!allocation.permits(peer.getAddress(), nowNs)) {
            outbox.count(RelayCounter.PEER_NO_PERMISSION);
            Logger.trace("turn drop from peer without permission relay={} peer={}", allocation.relayed, peer);
            return;
        }
        Allocation.Channel channel = allocation.channelsByPeer.get(peer);
        byte[] bytes;
        if (channel != null && channel.expiresAtNs > nowNs && length <= 0xFFFF) {
            // Over UDP the padding is optional (RFC 8656 section 12.5); none is sent.
            bytes = new byte[ChannelDataView.HEADER_BYTES + length];
            ByteBuffer out = ByteBuffer.wrap(bytes);
            ChannelDataWriter.write(out, 0, bytes.length, channel.number, src, offset, length, false);
        } else if (length <= MAX_INDICATION_DATA) {
            responder.writer.begin(responder.scratch, 0, Responder.SCRATCH_BYTES,
                            StunMethod.DATA.type(StunClass.INDICATION), random.nextInt(), random.nextLong())
                    .addAddress(XOR_PEER_ADDRESS, peer)
                    .addData(src, offset, length);
            bytes = java.util.Arrays.copyOf(responder.scratch.array(), responder.writer.finish());
        } else {
            outbox.count(RelayCounter.PEER_TOO_LARGE);
            return;
        }
        if (outbox.transmit(RelayTransmit.LISTEN_SOCKET, allocation.client, bytes)) {
            allocation.messagesToClient++;
            allocation.bytesToClient += length;
            outbox.count(RelayCounter.RELAYED_TO_CLIENTS);
        }
    }
}
