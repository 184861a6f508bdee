package zonegate.app.internal.relay;

import zonegate.app.internal.observe.StateMetrics;
import zonegate.app.internal.observe.StateSnapshot;
import zonegate.app.internal.status.StatusCollector;
import zonegate.app.internal.status.StatusReport;
import zonegate.app.internal.status.StatusRequest;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.tinylog.Logger;
import zonegate.shell.loop.Outbound;
import zonegate.shell.loop.StateMachineDriver;
import zonegate.packet.PooledBuffer;
import zonegate.turn.server.AllocationStats;
import zonegate.turn.server.RelayCounter;
import zonegate.turn.server.RelayEvent;
import zonegate.turn.server.RelayServer;
import zonegate.turn.server.RelayTransmit;

/**
 * Drives a {@link RelayServer} from the event loop. Socket 0 is the listen socket; socket {@code i >= 1}
 * is relay port {@code relayPortLow + i - 1} (every port of the range has its socket for the whole run,
 * so allocation events need no socket to be opened or closed).
 *
 * <p>After every input the server's events and transmits are drained: each {@link RelayTransmit} is
 * copied into a buffer from the loop's pool and queued on the socket of its relay port. Input buffers
 * stay the loop's (the server copies what it keeps).
 *
 * <p>Runs only on the state thread.
 */
final class RelayDriver implements StateMachineDriver {
    /** The socket index of the listen socket. */
    static final int LISTEN_SOCKET_INDEX = 0;

    private final RelayServer server;
    private final int relayPortLow;
    private final int relayPortCount;
    private Outbound outbound;
    private long transmitDrops;
    private long endedBytesToPeers;
    private long endedBytesToClients;

    /** @param relayPortLow the relay port of socket 1; sockets 1 to {@code relayPortCount} are the range */
    RelayDriver(RelayServer server, int relayPortLow, int relayPortCount) {
        this.server = server;
        this.relayPortLow = relayPortLow;
        this.relayPortCount = relayPortCount;
    }

    @Override
    public void onStart(Outbound loopOutbound, long nowNs) {
        this.outbound = loopOutbound;
    }

    @Override
    public void onCommand(Object command, long nowNs) {
        if (command instanceof StateSnapshot.Request request) {
            request.answer(out -> StateMetrics.relay(server, endedBytesToPeers, endedBytesToClients, out));
            return;
        }
        if (command instanceof StatusRequest request) {
            request.answer(() -> StatusCollector.relay(server, new StatusReport.Self("relay", null, null, List.of(),
                    List.of()), request, nowNs));
            return;
        }
        Logger.debug("turn relay ignores command {}", command);
    }

    @Override
    public boolean onDatagram(int socketIndex, InetSocketAddress from, PooledBuffer datagram, long nowNs) {
        ByteBuffer bytes = datagram.buffer();
        if (socketIndex == LISTEN_SOCKET_INDEX) {
            server.handleClientDatagram(from, bytes, nowNs);
        } else {
            server.handlePeerDatagram(relayPortLow + socketIndex - 1, from, bytes, nowNs);
        }
        drainOutputs();
        return false;
    }

    @Override
    public boolean onDevicePacket(int queueIndex, PooledBuffer packet, long nowNs) {
        return false;
    }

    @Override
    public void onTimeout(long nowNs) {
        server.handleTimeout(nowNs);
        drainOutputs();
    }

    @Override
    public long nextDeadlineNs() {
        return server.pollTimeout();
    }

    @Override
    public void onStop(long nowNs) {
        drainOutputs();
        long bytesToPeers = endedBytesToPeers;
        long bytesToClients = endedBytesToClients;
        for (AllocationStats live : server.allocations()) {
            bytesToPeers += live.bytesToPeers();
            bytesToClients += live.bytesToClient();
        }
        Logger.info("turn relay stopped: {} allocations, {} messages ({} bytes) to peers, {} messages ({} bytes) "
                        + "to clients, {} datagrams dropped for want of a buffer or socket",
                server.count(RelayCounter.ALLOCATIONS_CREATED), server.count(RelayCounter.RELAYED_TO_PEERS),
                bytesToPeers, server.count(RelayCounter.RELAYED_TO_CLIENTS), bytesToClients, transmitDrops);
    }

    /** Transmits that could not be queued: no pooled buffer, too large for one, no such relay port, queue full. */
    long transmitDrops() {
        return transmitDrops;
    }

    private void drainOutputs() {
        for (RelayEvent event; (event = server.pollEvent()) != null; ) {
            switch (event) {
                case RelayEvent.AllocationCreated created -> {
                    // The core logs the allocation at INFO; its socket is already open.
                }
                case RelayEvent.AllocationEnded ended -> {
                    endedBytesToPeers += ended.stats().bytesToPeers();
                    endedBytesToClients += ended.stats().bytesToClient();
                }
            }
        }
        for (RelayTransmit transmit; (transmit = server.pollTransmit()) != null; ) {
            send(transmit);
        }
    }

    private void send(RelayTransmit transmit) {
        int socketIndex = socketIndex(transmit);
        if (socketIndex < 0) {
            countDrop("no socket for relay port", transmit);
            return;
        }
        PooledBuffer buffer = outbound.acquire();
        if (buffer == null) {
            countDrop("buffer pool exhausted", transmit);
            return;
        }
        ByteBuffer bytes = buffer.buffer();
        if (transmit.bytes().length > bytes.capacity()) {
            buffer.pool().release(buffer);
            countDrop("datagram larger than a pooled buffer", transmit);
            return;
        }
        bytes.clear();
        bytes.put(transmit.bytes()).flip();
        if (!outbound.sendDatagram(socketIndex, transmit.destination(), buffer)) {
            countDrop("outbound queue full", transmit);
        }
    }

    private int socketIndex(RelayTransmit transmit) {
        if (transmit.fromListenSocket()) {
            return LISTEN_SOCKET_INDEX;
        }
        int offset = transmit.relayPort() - relayPortLow;
        return offset >= 0 && offset < relayPortCount ? offset + 1 : -1;
    }

    private void countDrop(String why, RelayTransmit transmit) {
        transmitDrops++;
        Logger.trace("turn relay drop udp relay={} to={}: {}", transmit.relayPort(), transmit.destination(), why);
    }
}
