package zonegate.shell.loop;

import org.tinylog.Logger;
import zonegate.shell.io.EpollPoller;
import zonegate.shell.io.NativeIoException;
import zonegate.shell.io.UdpBatchReceiver;
import zonegate.shell.io.UdpGroReceiver;
import zonegate.shell.io.UdpSocket;
import zonegate.packet.BufferPool;

/**
 * Receives datagrams from one UDP socket, a batch per recvmmsg call; with {@link EventLoopConfig#udpGro()} and
 * a kernel that takes UDP_GRO, through a {@link UdpGroReceiver} that cuts super-datagrams into the batch, the
 * segments that do not fit waiting for the next read.
 */
final class SocketReader extends SourceReader {
    /**
     * Messages per recvmmsg with GRO: each needs a 64 KiB scratch area, so 1 MiB per socket; half a 32-slot
     * batch of ordinary datagrams per call, where 4 made a read of unjoined datagrams cost 8 syscalls.
     */
    static final int GRO_MESSAGES_PER_CALL = 16;

    private final UdpSocket socket;
    private final UdpBatchReceiver receiver;
    private final UdpGroReceiver groReceiver;
    private final SocketCounters socketCounters;
    private long superDatagramsSeen;
    private long malformedSeen;

    SocketReader(int index, UdpSocket socket, EpollPoller.Registration registration, BufferPool pool,
                 EventLoopConfig config, WakeSignal stateSignal, LoopCounters counters) {
        super(index, registration, pool, config, stateSignal, counters, "UDP receive on " + socket.localAddress());
        this.socket = socket;
        this.socketCounters = counters.socket(index);
        boolean gro = config.udpGro() && socket.enableUdpGro();
        if (config.udpGro() && !gro) {
            Logger.info("UDP_GRO refused by the kernel on {}: receiving one datagram per message", socket.localAddress());
        }
        this.groReceiver = gro ? new UdpGroReceiver(socket, GRO_MESSAGES_PER_CALL, config.sourceCacheEntries()) : null;
        this.receiver = gro ? null : new UdpBatchReceiver(socket, config.readBatchSize(), config.sourceCacheEntries());
    }

    @Override
    int fd() {
        return socket.fd();
    }

    @Override
    boolean hasPending() {
        return groReceiver != null && groReceiver.hasPending();
    }

    @Override
    int read(PacketBatch batch, int slots) throws NativeIoException {
        int n = groReceiver == null ? receiver.receive(batch.bytes, batch.peers, slots) : readGro(batch, slots);
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

    private int readGro(PacketBatch batch, int slots) throws NativeIoException {
        try {
            return groReceiver.receive(batch.bytes, batch.peers, slots);
        } finally {
            long superDatagrams = groReceiver.superDatagrams();
            if (superDatagrams != superDatagramsSeen) {
                counters.udpGroReads.add(superDatagrams - superDatagramsSeen);
                superDatagramsSeen = superDatagrams;
            }
            long malformed = groReceiver.malformed();
            if (malformed != malformedSeen) {
                counters.udpGroDrops.add(malformed - malformedSeen);
                malformedSeen = malformed;
            }
        }
    }
}
