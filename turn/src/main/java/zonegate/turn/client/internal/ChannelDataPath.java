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
        Channel channel = channelToSend(peer, payload.remaining(), nowNs);
        if (channel == null) {
            return null;
        }
        ByteBuffer out = ByteBuffer.allocate(ChannelDataView.HEADER_BYTES + payload.remaining());
        ChannelDataWriter.write(out, 0, out.capacity(), channel.number(), payload, payload.position(),
                payload.remaining(), false);
        return new Transmit(state.config.server(), out.asReadOnlyBuffer());
    }

    /**
     * Writes the ChannelData header at {@code offset} in front of the {@code payloadBytes} already at
     * {@code offset + 4}; nothing is copied or allocated. Without a bound channel nothing is written, the
     * payload is counted as dropped and a channel is bound.
     *
     * @return the datagram's length ({@code payloadBytes + 4}), or -1 if there is no channel yet
     */
    public int frame(InetSocketAddress peer, ByteBuffer buffer, int offset, int payloadBytes, long nowNs) {
        Channel channel = channelToSend(peer, payloadBytes, nowNs);
        if (channel == null) {
            return -1;
        }
        return ChannelDataWriter.writeHeader(buffer, offset, buffer.capacity() - offset, channel.number(),
                payloadBytes, false);
    }

    private Channel channelToSend(InetSocketAddress peer, int payloadBytes, long nowNs) {
        Channel channel = state.channels.ofPeer(peer);
        if (channel == null || !channel.bound() || payloadBytes > 0xFFFF - ChannelDataView.HEADER_BYTES) {
            state.dropped++;
            state.bindChannel(peer, nowNs);
            return null;
        }
        if (state.channels.onUsed(channel, nowNs)) {
            state.send(new Request.ChannelBind(peer, channel.number()), nowNs);
        }
        state.lastRelayTrafficNs = nowNs;
        return channel;
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
        Channel channel = channelReceived(datagram, offset, length, nowNs);
        if (channel != null) {
            byte[] payload = new byte[channelView.dataLengthBytes()];
            datagram.get(channelView.dataOffset(), payload);
            state.emit(new AllocationEvent.PeerData(channel.peer(), payload));
        }
        return true;
    }

    /**
     * A ChannelData datagram from the relay, unwrapped in place: on success the datagram's position and
     * limit frame the payload and the peer is returned; otherwise (malformed, unbound channel, closed)
     * it is counted as dropped, left unchanged, and {@code null} is returned. Allocates nothing.
     */
    public InetSocketAddress unwrap(ByteBuffer datagram, long nowNs) {
        Channel channel = channelReceived(datagram, datagram.position(), datagram.remaining(), nowNs);
        if (channel == null) {
            return null;
        }
        int offset = channelView.dataOffset();
        datagram.limit(offset + channelView.dataLengthBytes()).position(offset);
        return channel.peer();
    }

    /** Parses into {@link #channelView}; the bound channel it arrived on, or null (counted). */
    private Channel channelReceived(ByteBuffer datagram, int offset, int length, long nowNs) {
        Channel channel = state.closed() || !(channelView.parse(datagram, offset, length)
                instanceof ChannelDataResult.Parsed) ? null : state.channels.boundOfNumber(channelView.channelNumber());
        if (channel == null) {
            state.dropped++;
            return null;
        }
        state.lastRelayTrafficNs = nowNs;
        if (state.channels.onUsed(channel, nowNs)) {
            state.send(new Request.ChannelBind(channel.peer(), channel.number()), nowNs);
        }
        return channel;
    }
}
