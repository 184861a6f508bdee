package zonegate.node;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.tinylog.Logger;
import zonegate.node.internal.OncePerSource;
import zonegate.stun.DatagramKind;
import zonegate.stun.StunParseResult;
import zonegate.stun.StunParser;
import zonegate.wireguard.Action;
import zonegate.wireguard.TunnelResult;

/**
 * The demultiplexer of the shared sockets. From a relay: its allocation's STUN, or ChannelData unwrapped
 * and handled as if it came from the peer on the relayed address. Otherwise: STUN for an ICE agent (a
 * check by the ufrag in USERNAME, an answer by transaction id) or WireGuard (the device routes by
 * receiver index and initiations by static key). What matches nothing is dropped and counted at TRACE;
 * only a datagram of no known format is logged at DEBUG, once per source per minute at most.
 */
final class Inbound {
    private static final long UNKNOWN_LOG_INTERVAL_NS = 60_000_000_000L;

    private final Outbox outbox;
    private final Relays relays;
    private final Connections connections;
    private final WireGuardLink wg;
    private final Paths paths;
    private final StunParser parser = new StunParser();
    private final OncePerSource unknownFormatLog = new OncePerSource(UNKNOWN_LOG_INTERVAL_NS);

    Inbound(Outbox outbox, Relays relays, Connections connections, WireGuardLink wg, Paths paths) {
        this.outbox = outbox;
        this.relays = relays;
        this.connections = connections;
        this.wg = wg;
        this.paths = paths;
    }

    NodeAction handle(InetSocketAddress local, InetSocketAddress from, ByteBuffer datagram, ByteBuffer out, long nowNs,
            NodeResult r) {
        if (relays.isRelay(from)) {
            return relays.handleInput(from, datagram, nowNs, out, r);
        }
        if (relays.isDiscarded(from)) {
            return drop(NodeCounter.FROM_DISCARDED_RELAY, r);
        }
        return fromPeer(local, from, datagram, out, nowNs, r);
    }

    /** A datagram from {@code from} that arrived on {@code local} (a socket, or our relayed address). */
    NodeAction fromPeer(InetSocketAddress local, InetSocketAddress from, ByteBuffer datagram, ByteBuffer out,
            long nowNs, NodeResult r) {
        int offset = datagram.position();
        int length = datagram.remaining();
        return switch (DatagramKind.classify(datagram, offset, length)) {
            case STUN -> onStun(local, from, datagram, offset, nowNs, r);
            case WIREGUARD -> onWireGuard(local, from, datagram, out, nowNs, r);
            case CHANNEL_DATA -> {
                Logger.trace("ChannelData from {}, which is not one of our relays: dropped", from);
                yield drop(NodeCounter.CHANNEL_DATA_NOT_FROM_RELAY, r);
            }
            case OTHER -> {
                if (unknownFormatLog.allow(from, nowNs)) {
                    Logger.debug("datagram of no known format from {} ({} bytes): dropped", from, length);
                }
                yield drop(NodeCounter.UNKNOWN_FORMAT, r);
            }
        };
    }

    private NodeAction onStun(InetSocketAddress local, InetSocketAddress from, ByteBuffer datagram, int offset,
            long nowNs, NodeResult r) {
        Connection c = null;
        int messageClass = datagram.getShort(offset) & 0x0110;
        if (messageClass == 0) {
            if (parser.parse(datagram, offset, datagram.remaining()) instanceof StunParseResult.Parsed(var m)) {
                String username = m.username();
                int colon = username == null ? -1 : username.indexOf(':');
                c = colon > 0 ? connections.byUfrag(username.substring(0, colon)) : null;
            }
        } else if (messageClass == 0x0100 || messageClass == 0x0110) {
            c = connections.byTransaction(datagram.getInt(offset + 8), datagram.getLong(offset + 12));
        }
        if (c == null || !c.agent.handleInput(local, from, datagram, nowNs)) {
            Logger.trace("STUN from {} on {} for no agent: dropped", from, local);
            return drop(NodeCounter.UNMATCHED_STUN, r);
        }
        connections.drainAgent(c, nowNs);
        return r.set(NodeAction.DONE, 0, null, null, c.peerId, null);
    }

    private NodeAction onWireGuard(InetSocketAddress local, InetSocketAddress from, ByteBuffer datagram, ByteBuffer out,
            long nowNs, NodeResult r) {
        int start = out.position();
        TunnelResult w = wg.result();
        Action a = wg.device().handleDatagram(from, datagram, out, nowNs, w);
        Connection c = w.tunnel() == null ? null : connections.byKey(w.tunnel().publicKey());
        if (c != null && a == Action.WRITE_TO_TUNNEL) {
            connections.onPacket(c, nowNs); // data only: keepalives and handshakes do not keep a connection active
        }
        NodeAction result = switch (a) {
            case WRITE_TO_TUNNEL -> c == null ? drop(NodeCounter.NO_CONNECTION, r)
                    : P2pControl.isControl(out, start, w.lengthBytes()) ? onControl(c, out, start, w.lengthBytes(), r)
                    : r.set(NodeAction.WRITE_TO_TUNNEL, w.lengthBytes(), null, null, c.peerId, null);
            case WRITE_TO_NETWORK -> {
                // Handshake answers and cookie replies go back the way the message came.
                paths.send(local, from, out.duplicate().limit(start + w.lengthBytes()).position(start), nowNs);
                out.position(start);
                yield r.set(NodeAction.DONE, 0, null, null, c == null ? null : c.peerId, null);
            }
            case DONE, QUEUED -> r.set(NodeAction.DONE, 0, null, null, c == null ? null : c.peerId, null);
            case DROPPED -> {
                Logger.trace("WireGuard datagram from {} dropped: {}", from, w.dropReason());
                yield drop(NodeCounter.WIREGUARD_INBOUND, r);
            }
        };
        if (a == Action.WRITE_TO_NETWORK) {
            wg.handleTimeout(nowNs);
        } else {
            wg.drainEvents();
        }
        return result;
    }

    private NodeAction onControl(Connection c, ByteBuffer out, int start, int length, NodeResult r) {
        out.position(start);
        switch (P2pControl.parse(out, start, length)) {
            case P2pParseResult.Parsed(P2pMessage.Goodbye g) -> connections.close(c, CloseReason.GOODBYE_RECEIVED);
            case P2pParseResult.Parsed(P2pMessage m) -> outbox.event(new NodeEvent.ControlMessage(c.peerId, m));
            case P2pParseResult.UnknownType(int type) -> {
                Logger.debug("peer={} p2p control message of unknown type {}: ignored", c.peerId, type);
                outbox.count(NodeCounter.CONTROL_UNKNOWN_TYPE);
            }
            case P2pParseResult.Rejected(String reason) -> {
                Logger.debug("peer={} malformed p2p control message: {}", c.peerId, reason);
                outbox.count(NodeCounter.CONTROL_MALFORMED);
            }
            case P2pParseResult.NotControl n -> { }
        }
        return r.set(NodeAction.DONE, 0, null, null, c.peerId, null);
    }

    private NodeAction drop(NodeCounter reason, NodeResult r) {
        outbox.count(reason);
        return r.set(NodeAction.DROPPED, 0, null, null, null, reason);
    }
}
