package zonegate.turn.client.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import zonegate.stun.ChannelDataResult;
import zonegate.stun.ChannelDataView;
import zonegate.stun.ChannelDataWriter;
import zonegate.stun.StunMessageView;
import zonegate.turn.client.AllocationEvent;
import zonegate.turn.client.Transmit;
import zonegate.turn.client.internal.ChannelTable.Channel;

/**
 * The allocation's data path (RFC 8656 sections 11 and 12): frames payloads to peers as ChannelData,
 * and turns ChannelData and Data indications from the relay into peer data. Traffic on a channel past
 * its refresh time rebinds it; malformed or unbound input is dropped and counted.
 */
public final class ChannelDataPath {
    private final AllocationState state;
    private final ChannelDataView channelView = new ChannelDataView();

    /** A data path over {@code state}'s channels. */
    public ChannelDataPath(AllocationState state) {
        this.state = state;
    }

    /**
     * Frames {@code payload} (position to limit, unchanged) as ChannelData to {@code peer}; without a
     * bound channel drops it, counts it and binds one.
     *
     * @return the datagram for the relay, or {@code null} if there is no channel yet
     */
    public Transmit encapsulate(InetSocketAddress peer, ByteBuffer payload, long nowNs) {
        Channel channel = state.channels.ofPeer(peer);
        if (channel == null || !channel.bound() || payload.remaining() > 0xFFFF - ChannelDataView.HEADER_BYTES) {
            state.dropped++;
            state.bindChannel(peer, nowNs);
            return null;
        }
        if (state.channels.onUsed(channel, nowNs)) {
            state.send(new Request.ChannelBind(peer, channel.number()), nowNs);
        }
        ByteBuffer out = ByteBuffer.allocate(ChannelDataView.HEADER_BYTES + payload.remaining());
        ChannelDataWriter.write(out, 0, out.capacity(), channel.number(), payload, payload.position(),
                payload.remaining(), false);
        state.lastRelayTrafficNs = nowNs;
        return new Transmit(state.config.server(), out.asReadOnlyBuffer());
    }

    /** A Data indication from the relay; always consumed. */
    public boolean onDataIndication(StunMessageView message, long nowNs) {
        InetSocketAddress peer = message.xorPeerAddress();
        int offset = message.dataOffset();
        if (peer == null || offset < 0 || state.closed()) {
            state.dropped++;
            return true;
        }
        state.lastRelayTrafficNs = nowNs;
        byte[] payload = new byte[message.dataLengthBytes()];
        message.buffer().get(offset, payload);
        state.emit(new AllocationEvent.PeerData(peer, payload));
        return true;
    }

    /** A ChannelData datagram from the relay at {@code offset}; always consumed. */
    public boolean onChannelData(ByteBuffer datagram, int offset, int length, long nowNs) {
        if (!(channelView.parse(datagram, offset, length) instanceof ChannelDataResult.Parsed(var view))) {
            state.dropped++;
            return true;
        }
        Channel channel = state.channels.boundOfNumber(view.channelNumber());
        if (channel == null) {
            state.dropped++;
            return true;
        }
        state.lastRelayTrafficNs = nowNs;
        if (state.channels.onUsed(channel, nowNs)) {
            state.send(new Request.ChannelBind(channel.peer(), channel.number()), nowNs);
        }
        byte[] payload = new byte[view.dataLengthBytes()];
        datagram.get(view.dataOffset(), payload);
        state.emit(new AllocationEvent.PeerData(channel.peer(), payload));
        return true;
    }
}
