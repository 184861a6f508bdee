package zonegate.shell.loop;

import zonegate.shell.io.EpollPoller;
import zonegate.shell.io.NativeIoException;
import zonegate.shell.io.UdpBatchReceiver;
import zonegate.shell.io.UdpSocket;
import zonegate.packet.BufferPool;

/** Receives datagrams from one UDP socket, a batch per recvmmsg call. */
final class SocketReader extends SourceReader {
    private final UdpSocket socket;
    private final UdpBatchReceiver receiver;
    private final SocketCounters socketCounters;

    SocketReader(int index, UdpSocket socket, EpollPoller.Registration registration, BufferPool pool,
                 EventLoopConfig config, WakeSignal stateSignal, LoopCounters counters) {
        super(index, registration, pool, config, stateSignal, counters, "UDP receive on " + socket.localAddress());
        this.socket = socket;
        this.receiver = new UdpBatchReceiver(socket, config.readBatchSize(), config.sourceCacheEntries());
        this.socketCounters = counters.socket(index);
    }

    @Override
    int fd() {
        return socket.fd();
    }

    @Override
    int read(PacketBatch batch, int slots) throws NativeIoException {
        int n = receiver.receive(batch.bytes, batch.peers, slots);
        if (n > 0) {
            socketCounters.datagramsIn.add(n);
            long bytes = 0;
            for (int i = 0; i < n; i++) {
                bytes += batch.bytes[i].remaining();
            }
            socketCounters.bytesIn.add(bytes);
        }
        return n == UdpBatchReceiver.WOULD_BLOCK ? WOULD_BLOCK : n;
    }
}
