package zonegate.shell.loop;

import zonegate.shell.io.EpollPoller;
import zonegate.shell.io.UdpBatchSender;
import zonegate.shell.io.UdpSocket;

/** Sends datagrams from one UDP socket, runs to one destination as one GSO send. */
final class SocketWriter extends OutboundChannel {
    private final UdpBatchSender sender;
    private long sendErrorsSeen;

    SocketWriter(UdpSocket socket, EpollPoller.Registration registration, EventLoopConfig config, WakeSignal stateSignal,
                 LoopCounters counters) {
        super(registration, config, stateSignal, counters);
        this.sender = new UdpBatchSender(socket, config.udpGso());
    }

    @Override
    int write(PacketBatch batch, int from) {
        int n = sender.send(batch.bytes, batch.peers, from, batch.count - from);
        long errors = sender.sendErrors() - sendErrorsSeen;
        sendErrorsSeen += errors;
        counters.sendErrors.add(errors);
        counters.datagramsOut.add(n - errors);
        long bytes = 0;
        for (int i = from; i < from + n; i++) {
            bytes += batch.bytes[i].remaining();
        }
        counters.datagramBytesOut.add(bytes);
        return n;
    }
}
