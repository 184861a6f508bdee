package zonegate.shell.loop;

import java.time.Duration;

/**
 * Bounds and tuning of an {@link EventLoop}. Every queue is bounded by these numbers; see
 * {@link #defaults()} for the reasoning behind each default.
 *
 * @param readBatchSize most packets one reader takes per syscall batch (recvmmsg vector, TUN reads in a row)
 * @param readBatchesPerSource batches each reader may have in flight; its input queue holds them all, so
 *        a reader that has used them all waits (back-pressure) instead of growing a queue
 * @param drainBatchesPerCycle most batches the state thread takes from one source per duty cycle, so a
 *        flooding source does not starve the others
 * @param writeBatchSize most packets per outbound batch handed to a writer
 * @param writeBatchesPerChannel outbound batches per TUN queue or socket
 * @param outboundReserveBatches free outbound batches every channel must have before the state thread
 *        takes another input batch (room for about one output per input, twice)
 * @param commandCapacity bound of the command queue ({@link EventLoop#submit})
 * @param commandsPerCycle most commands handled per duty cycle
 * @param sourceCacheEntries bound of each socket reader's source-address cache
 * @param spinCycles idle cycles spent spinning before yielding
 * @param yieldCycles idle cycles spent yielding before parking
 * @param maxParkNs the longest the state thread parks when no deadline is nearer (a safety net against a lost
 *        wake-up, not a poll: every wake-up source and deadline ends a park by itself)
 * @param flushTimeoutNs how long a graceful stop waits for outbound queues to drain
 * @param udpGso whether UDP writers try UDP_SEGMENT (GSO) for runs to one destination
 * @param stateThreadIo whether the state thread does the TUN queues' and UDP sockets' I/O itself (see
 *        {@link #withStateThreadIo()})
 * @param udpGro whether socket readers ask for UDP_GRO and cut the super-datagrams back into datagrams (see
 *        {@link #withUdpGro(boolean)})
 * @param ackThinning whether TUN writers with offloads leave out the TCP ACKs that a later ACK of the same flow
 *        in the same batch supersedes (see {@link #withAckThinning(boolean)})
 */
public record EventLoopConfig(int readBatchSize, int readBatchesPerSource, int drainBatchesPerCycle, int writeBatchSize,
                              int writeBatchesPerChannel, int outboundReserveBatches, int commandCapacity,
                              int commandsPerCycle, int sourceCacheEntries, int spinCycles, int yieldCycles,
                              long maxParkNs, long flushTimeoutNs, boolean udpGso, boolean stateThreadIo,
                              boolean udpGro, boolean ackThinning) {
    public EventLoopConfig {
        positive(readBatchSize, "readBatchSize");
        positive(readBatchesPerSource, "readBatchesPerSource");
        positive(drainBatchesPerCycle, "drainBatchesPerCycle");
        positive(writeBatchSize, "writeBatchSize");
        positive(outboundReserveBatches, "outboundReserveBatches");
        positive(commandCapacity, "commandCapacity");
        positive(commandsPerCycle, "commandsPerCycle");
        positive(sourceCacheEntries, "sourceCacheEntries");
        if (writeBatchesPerChannel <= outboundReserveBatches) {
            throw new IllegalArgumentException("writeBatchesPerChannel must exceed outboundReserveBatches");
        }
        if (readBatchSize > 1024 || spinCycles < 0 || yieldCycles < 0 || maxParkNs <= 0 || flushTimeoutNs < 0) {
            throw new IllegalArgumentException("invalid event loop config: " + this);
        }
    }

    /** The config without ACK thinning. */
    public EventLoopConfig(int readBatchSize, int readBatchesPerSource, int drainBatchesPerCycle, int writeBatchSize,
                           int writeBatchesPerChannel, int outboundReserveBatches, int commandCapacity,
                           int commandsPerCycle, int sourceCacheEntries, int spinCycles, int yieldCycles,
                           long maxParkNs, long flushTimeoutNs, boolean udpGso, boolean stateThreadIo, boolean udpGro) {
        this(readBatchSize, readBatchesPerSource, drainBatchesPerCycle, writeBatchSize, writeBatchesPerChannel,
                outboundReserveBatches, commandCapacity, commandsPerCycle, sourceCacheEntries, spinCycles, yieldCycles,
                maxParkNs, flushTimeoutNs, udpGso, stateThreadIo, udpGro, false);
    }

    /** The config without UDP_GRO and ACK thinning. */
    public EventLoopConfig(int readBatchSize, int readBatchesPerSource, int drainBatchesPerCycle, int writeBatchSize,
                           int writeBatchesPerChannel, int outboundReserveBatches, int commandCapacity,
                           int commandsPerCycle, int sourceCacheEntries, int spinCycles, int yieldCycles,
                           long maxParkNs, long flushTimeoutNs, boolean udpGso, boolean stateThreadIo) {
        this(readBatchSize, readBatchesPerSource, drainBatchesPerCycle, writeBatchSize, writeBatchesPerChannel,
                outboundReserveBatches, commandCapacity, commandsPerCycle, sourceCacheEntries, spinCycles, yieldCycles,
                maxParkNs, flushTimeoutNs, udpGso, stateThreadIo, false, false);
    }

    /** The config without state-thread I/O (the readers and writers of {@link EventLoop}'s diagram). */
    public EventLoopConfig(int readBatchSize, int readBatchesPerSource, int drainBatchesPerCycle, int writeBatchSize,
                           int writeBatchesPerChannel, int outboundReserveBatches, int commandCapacity,
                           int commandsPerCycle, int sourceCacheEntries, int spinCycles, int yieldCycles,
                           long maxParkNs, long flushTimeoutNs, boolean udpGso) {
        this(readBatchSize, readBatchesPerSource, drainBatchesPerCycle, writeBatchSize, writeBatchesPerChannel,
                outboundReserveBatches, commandCapacity, commandsPerCycle, sourceCacheEntries, spinCycles, yieldCycles,
                maxParkNs, flushTimeoutNs, udpGso, false, false, false);
    }

    /**
     * 32-packet batches (~45 KiB of 1420-byte packets: a syscall's worth), 8 in flight per source,
     * 4 drained per source per cycle, 8 outbound batches per channel with 2 in reserve, 1024 commands,
     * 4096 cached sources, 100 spins and 10 yields before parking (spinning is dear on 2 vCPUs), at most
     * 1 s parked (an idle loop wakes once a second, not ten times as with the 100 ms it had), 1 s to flush at
     * stop (DESIGN.md section 3), GSO on, UDP_GRO and ACK thinning off.
     */
    public static EventLoopConfig defaults() {
        return new EventLoopConfig(32, 8, 4, 32, 8, 2, 1024, 64, 4096, 100, 10,
                Duration.ofSeconds(1).toNanos(), Duration.ofSeconds(1).toNanos(), true, false, false, false);
    }

    /** This config with another read batch size and batches per source. */
    public EventLoopConfig withReadBatches(int batchSize, int batchesPerSource) {
        return new EventLoopConfig(batchSize, batchesPerSource, drainBatchesPerCycle, writeBatchSize,
                writeBatchesPerChannel, outboundReserveBatches, commandCapacity, commandsPerCycle, sourceCacheEntries,
                spinCycles, yieldCycles, maxParkNs, flushTimeoutNs, udpGso, stateThreadIo, udpGro, ackThinning);
    }

    /** This config with another outbound batch size and batch count per channel. */
    public EventLoopConfig withWriteBatches(int batchSize, int batchesPerChannel) {
        return new EventLoopConfig(readBatchSize, readBatchesPerSource, drainBatchesPerCycle, batchSize,
                batchesPerChannel, outboundReserveBatches, commandCapacity, commandsPerCycle, sourceCacheEntries,
                spinCycles, yieldCycles, maxParkNs, flushTimeoutNs, udpGso, stateThreadIo, udpGro, ackThinning);
    }

    /** This config with another per-source drain limit. */
    public EventLoopConfig withDrainBatchesPerCycle(int batches) {
        return new EventLoopConfig(readBatchSize, readBatchesPerSource, batches, writeBatchSize, writeBatchesPerChannel,
                outboundReserveBatches, commandCapacity, commandsPerCycle, sourceCacheEntries, spinCycles, yieldCycles,
                maxParkNs, flushTimeoutNs, udpGso, stateThreadIo, udpGro, ackThinning);
    }

    /**
     * This config with the state thread doing all the I/O itself, the TUN queues' and the UDP sockets': no
     * reader threads; the state thread waits in its own epoll set (until input, a command or the next
     * deadline), reads each ready fd without blocking (recvmmsg; TUN reads, super-packets segmented), at
     * most {@code drainBatchesPerCycle} batches per fd per cycle, and writes its outbound batches itself
     * without blocking. Only what an fd refuses (EAGAIN: a full socket buffer) goes to that fd's writer
     * thread, and the fd's later output queues behind it until the writer has sent everything, so the order
     * per fd is kept. A packet then costs one wake-up (the state thread's) instead of three or more (reader,
     * state thread, writer, and the poller's). All of it runs on one core. The embedded mode
     * ({@link EventLoop#startEmbedded()}) works the same: the thread calling {@link EventLoop#idle} waits in
     * the epoll set.
     */
    public EventLoopConfig withStateThreadIo() {
        return new EventLoopConfig(readBatchSize, readBatchesPerSource, drainBatchesPerCycle, writeBatchSize,
                writeBatchesPerChannel, outboundReserveBatches, commandCapacity, commandsPerCycle, sourceCacheEntries,
                spinCycles, yieldCycles, maxParkNs, flushTimeoutNs, udpGso, true, udpGro, ackThinning);
    }

    /**
     * This config with UDP_GRO on the sockets or not (default off). On, each socket reader asks the kernel for
     * UDP_GRO ({@link zonegate.shell.io.UdpSocket#enableUdpGro()}), so one receive may bring several datagrams
     * of a flow as one super-datagram, and cuts them back into ordinary datagrams in the batch's buffers before
     * the driver sees them: same order, same source, same driver API. Segments that do not fit in a batch
     * come first in the next read. Costs 16 x 64 KiB of native memory per socket (the receive scratch), a
     * copy per datagram, and at most 16 messages per recvmmsg; a socket whose kernel refuses the option
     * receives as without it.
     */
    public EventLoopConfig withUdpGro(boolean on) {
        return new EventLoopConfig(readBatchSize, readBatchesPerSource, drainBatchesPerCycle, writeBatchSize,
                writeBatchesPerChannel, outboundReserveBatches, commandCapacity, commandsPerCycle, sourceCacheEntries,
                spinCycles, yieldCycles, maxParkNs, flushTimeoutNs, udpGso, stateThreadIo, on, ackThinning);
    }

    /**
     * This config with ACK thinning on the TUN writers or not (default off). On, a writer whose queue has
     * offloads (a virtio_net_hdr, so its batches are coalesced) leaves out each pure TCP ACK of a batch that a
     * later ACK of the same flow in that batch supersedes: it acknowledges as much or more, reports every
     * SACK block the earlier one does not acknowledge, and tells something new
     * ({@link zonegate.packet.gso.FlowCoalescer}). ACKs that arrive together reach the host together, so its
     * TCP learns the same from the last one, and processes one instead of several (a download through the
     * gateway sends one ACK per one to two segments). Counted in {@link LoopCounters#deviceAcksThinned()}.
     */
    public EventLoopConfig withAckThinning(boolean on) {
        return new EventLoopConfig(readBatchSize, readBatchesPerSource, drainBatchesPerCycle, writeBatchSize,
                writeBatchesPerChannel, outboundReserveBatches, commandCapacity, commandsPerCycle, sourceCacheEntries,
                spinCycles, yieldCycles, maxParkNs, flushTimeoutNs, udpGso, stateThreadIo, udpGro, on);
    }

    /** This config with another idle strategy: {@code spin} busy cycles, then {@code yield} yielding ones, then parking. */
    public EventLoopConfig withIdle(int spin, int yield) {
        return new EventLoopConfig(readBatchSize, readBatchesPerSource, drainBatchesPerCycle, writeBatchSize,
                writeBatchesPerChannel, outboundReserveBatches, commandCapacity, commandsPerCycle, sourceCacheEntries,
                spin, yield, maxParkNs, flushTimeoutNs, udpGso, stateThreadIo, udpGro, ackThinning);
    }

    private static void positive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
