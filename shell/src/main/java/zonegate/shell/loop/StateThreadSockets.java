package zonegate.shell.loop;

import java.util.List;
import zonegate.shell.io.EpollSet;
import zonegate.shell.io.NativeIoException;
import zonegate.shell.io.UdpBatchReceiver;
import zonegate.shell.io.UdpSocket;
import zonegate.packet.BufferPool;

/**
 * The UDP sockets as the state thread reads them itself ({@link EventLoopConfig#withStateThreadIo()}):
 * their epoll set (which is also where the state thread sleeps), a receiver per socket and one batch
 * that every read fills and the duty cycle empties before the next read.
 *
 * <p>The batch's buffers stay in it from read to read (the driver copies what it needs and the buffer
 * is cleared for the next datagram); only a buffer the driver keeps is replaced from the pool, so a
 * driver that keeps none costs the pool nothing per datagram, and the receiver re-points no iovec.
 * With the pool empty a read takes fewer slots, or none ({@link LoopCounters#poolStalls()}), and the
 * socket stays ready for a later cycle. State thread only, but {@link #epoll()}'s wake-up.
 */
final class StateThreadSockets {
    private final EpollSet epoll;
    private final UdpBatchReceiver[] receivers;
    private final BufferPool pool;
    private final LoopCounters counters;
    private final ErrorLatch[] errors;
    private final SocketCounters[] socketCounters;
    final PacketBatch batch;
    private int carried;
    private boolean released;

    StateThreadSockets(EpollSet epoll, List<UdpSocket> sockets, BufferPool pool, EventLoopConfig config,
                       LoopCounters counters) throws NativeIoException {
        this.epoll = epoll;
        this.pool = pool;
        this.counters = counters;
        this.receivers = new UdpBatchReceiver[sockets.size()];
        this.errors = new ErrorLatch[sockets.size()];
        this.socketCounters = new SocketCounters[sockets.size()];
        for (int i = 0; i < receivers.length; i++) {
            UdpSocket socket = sockets.get(i);
            receivers[i] = new UdpBatchReceiver(socket, config.readBatchSize(), config.sourceCacheEntries());
            socketCounters[i] = counters.socket(i);
            errors[i] = new ErrorLatch("UDP receive on " + socket.localAddress());
            epoll.add(socket.fd(), i);
        }
        this.batch = new PacketBatch(config.readBatchSize());
    }

    EpollSet epoll() {
        return epoll;
    }

    /**
     * The sockets ready now: those the last {@link #sleep} found, else a poll of the set.
     *
     * @return how many; their indices at {@link #readySocket}
     */
    int ready() throws NativeIoException {
        int n = carried;
        carried = 0;
        return n > 0 ? n : epoll.await(0);
    }

    int readySocket(int i) {
        return epoll.readyToken(i);
    }

    /** Sleeps until a socket is readable, a wake-up, or {@code timeoutNs}; what it finds is the next {@link #ready()}. */
    void sleep(long timeoutNs) throws NativeIoException {
        carried = epoll.await(timeoutNs);
    }

    /** Sleeps until a wake-up or {@code timeoutNs}, whatever the sockets do (outbound has no room for their output). */
    void sleepUntilWoken(long timeoutNs) throws NativeIoException {
        carried = 0;
        epoll.awaitWakeUp(timeoutNs);
    }

    /** Slots a read may fill ({@link #receive}'s limit): the batch's capacity unless the pool ran short. */
    int slots() {
        return batch.topUp(pool);
    }

    /**
     * Reads socket {@code socket} into the batch's first {@code slots} slots.
     *
     * @return datagrams read, or 0 when none was waiting or the read failed (counted)
     */
    int receive(int socket, int slots) {
        try {
            int n = receivers[socket].receive(batch.bytes, batch.peers, slots);
            if (n == UdpBatchReceiver.WOULD_BLOCK) {
                return 0;
            }
            errors[socket].onSuccess();
            SocketCounters socketCounters = this.socketCounters[socket];
            socketCounters.datagramsIn.add(n);
            long bytes = 0;
            for (int i = 0; i < n; i++) {
                bytes += batch.bytes[i].remaining();
            }
            socketCounters.bytesIn.add(bytes);
            batch.count = n;
            return n;
        } catch (NativeIoException e) {
            counters.readErrors.increment();
            errors[socket].onError(e.errnoName(), e.getMessage());
            return 0;
        }
    }

    /** After the driver saw slot {@code i}: {@code kept} gives the buffer up, else it is cleared for the next read. */
    void done(int i, boolean kept) {
        if (kept) {
            batch.take(i);
        } else {
            batch.bytes[i].clear();
            batch.peers[i] = null;
        }
    }

    /** Once the state thread stopped: gives every buffer back to the pool. Idempotent. */
    void release() {
        if (!released) {
            released = true;
            batch.releaseAll();
        }
    }
}
