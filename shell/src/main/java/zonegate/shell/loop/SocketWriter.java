package zonegate.shell.loop;

import zonegate.shell.io.EpollPoller;
import zonegate.shell.io.UdpBatchSender;
import zonegate.shell.io.UdpSocket;

/** Sends datagrams from one UDP socket, runs to one destination as one GSO send. */
final class SocketWriter extends OutboundChannel {
    private final UdpBatchSender sender;
    private final SocketCounters socketCounters;
    private long sendErrorsSeen;

    SocketWriter(int index, UdpSocket socket, EpollPoller.Registration registration, EventLoopConfig config,
                 WakeSignal stateSignal, LoopCounters counters) {
        super(registration, config, stateSignal, counters);
        this.sender = new UdpBatchSender(socket, config.udpGso());
        this.socketCounters = counters.socket(index);
    }

    @Override
    int write(PacketBatch batch, int from) {
        int n = sender.send(batch.bytes, batch.peers, from, batch.count - from);
        long errors = sender.sendErrors() - sendErrorsSeen;
        sendErrorsSeen += errors;
        counters.sendErrors.add(errors);
        socketCounters.datagramsOut.add(n - errors);
        long bytes = 0;
        for (int i = from; i < from + n; i++) {
            bytes += batch.bytes[i].remaining();
        }
        socketCounters.bytesOut.add(bytes);
        return n;
    }
}
