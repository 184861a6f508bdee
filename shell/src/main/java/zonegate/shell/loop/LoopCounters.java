package zonegate.shell.loop;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToLongFunction;

/**
 * What the event loop did, dropped and refused, readable from any thread (for metrics and tests).
 * Counters only grow; a rate is the difference of two readings.
 */
public final class LoopCounters {
    final LongAdder devicePacketsIn = new LongAdder();
    final LongAdder devicePacketsOut = new LongAdder();
    final LongAdder deviceReads = new LongAdder();
    final LongAdder deviceWrites = new LongAdder();
    final LongAdder deviceOffloadDrops = new LongAdder();
    final LongAdder deviceAcksThinned = new LongAdder();
    final LongAdder udpGroReads = new LongAdder();
    final LongAdder udpGroDrops = new LongAdder();
    final LongAdder driverErrors = new LongAdder();
    final LongAdder truncatedDatagrams = new LongAdder();
    final LongAdder outboundDrops = new LongAdder();
    final LongAdder deviceWriteErrors = new LongAdder();
    final LongAdder sendErrors = new LongAdder();
    final LongAdder readErrors = new LongAdder();
    final LongAdder poolStalls = new LongAdder();
    final LongAdder backPressuredCycles = new LongAdder();
    final LongAdder commandsRefused = new LongAdder();
    final LongAdder statesSuperseded = new LongAdder();
    final LongAdder discardedAtStop = new LongAdder();
    final LongAdder cycles = new LongAdder();
    final LongAdder parkedNs = new LongAdder();
    /** System.nanoTime() of the latest duty cycle's start; written with release semantics (no fence on x86). */
    final AtomicLong lastCycleNs = new AtomicLong(System.nanoTime());
    /** When the state thread's current park ends at the latest (its timeout), or 0 while it is not parked. */
    final AtomicLong parkedUntilNs = new AtomicLong();
    private final List<SocketCounters> sockets;

    /** Counters for a loop over {@code socketCount} UDP sockets. */
    public LoopCounters(int socketCount) {
        this.sockets = IntStream.range(0, socketCount).mapToObj(i -> new SocketCounters()).toList();
    }

    /** The counters of the loop's socket {@code index} (its index in the list the loop was created with). */
    public SocketCounters socket(int index) {
        return sockets.get(index);
    }

    /** How many sockets the loop has. */
    public int socketCount() {
        return sockets.size();
    }

    /** IP packets read from the TUN device. */
    public long devicePacketsIn() {
        return devicePacketsIn.sum();
    }

    /** Datagrams received on the UDP sockets (truncated ones included). */
    public long datagramsIn() {
        return sumOverSockets(SocketCounters::datagramsIn);
    }

    /** IP packets written to the TUN device. */
    public long devicePacketsOut() {
        return devicePacketsOut.sum();
    }

    /**
     * read(2) calls on the TUN device that returned a packet: equal to {@link #devicePacketsIn()} without
     * offloads, fewer with them (one read returns a super-packet that is cut into many).
     */
    public long deviceReads() {
        return deviceReads.sum();
    }

    /**
     * write(2) calls on the TUN device that the kernel took: equal to {@link #devicePacketsOut()} without
     * offloads, fewer with them (coalesced TCP segments go in one write).
     */
    public long deviceWrites() {
        return deviceWrites.sum();
    }

    /** Packets read from a TUN device with offloads whose virtio_net_hdr or headers did not add up, dropped. */
    public long deviceOffloadDrops() {
        return deviceOffloadDrops.sum();
    }

    /**
     * TCP ACKs bound for the TUN device left out because a later ACK of the same flow in the same batch
     * superseded them ({@link EventLoopConfig#withAckThinning}; not in {@link #devicePacketsOut()}).
     */
    public long deviceAcksThinned() {
        return deviceAcksThinned.sum();
    }

    /**
     * Super-datagrams received with UDP_GRO ({@link EventLoopConfig#withUdpGro}): messages the kernel built from
     * several datagrams of one flow, each cut back into those datagrams (which {@link #datagramsIn()} counts).
     */
    public long udpGroReads() {
        return udpGroReads.sum();
    }

    /** Super-datagrams whose UDP_GRO control data was malformed or gave a segment size of 0, dropped whole. */
    public long udpGroDrops() {
        return udpGroDrops.sum();
    }

    /** Datagrams handed to the kernel. */
    public long datagramsOut() {
        return sumOverSockets(SocketCounters::datagramsOut);
    }

    /** Driver callbacks that threw (the packet was dropped, the batch went on). */
    public long driverErrors() {
        return driverErrors.sum();
    }

    /** Datagrams larger than a pool buffer, dropped. */
    public long truncatedDatagrams() {
        return truncatedDatagrams.sum();
    }

    /** Outputs dropped because their outbound queue had no room. */
    public long outboundDrops() {
        return outboundDrops.sum();
    }

    /** Packets the TUN device refused (EINVAL for a malformed packet, EIO...). */
    public long deviceWriteErrors() {
        return deviceWriteErrors.sum();
    }

    /** Datagrams the kernel refused to send (ENETUNREACH...). */
    public long sendErrors() {
        return sendErrors.sum();
    }

    /**
     * What the loop dropped or refused, by reason, in a fixed order: {@code outbound_queue_full},
     * {@code truncated_datagram}, {@code device_write_error}, {@code send_error}, {@code driver_error},
     * {@code command_queue_full} (the names metrics, status and embedders show).
     */
    public Map<String, Long> dropsByReason() {
        Map<String, Long> drops = new LinkedHashMap<>();
        drops.put("outbound_queue_full", outboundDrops());
        drops.put("truncated_datagram", truncatedDatagrams());
        drops.put("device_write_error", deviceWriteErrors());
        drops.put("send_error", sendErrors());
        drops.put("driver_error", driverErrors());
        drops.put("command_queue_full", commandsRefused());
        return drops;
    }

    /** Reader syscalls that failed with an error other than EAGAIN. */
    public long readErrors() {
        return readErrors.sum();
    }

    /** Times a reader found the buffer pool empty and waited. */
    public long poolStalls() {
        return poolStalls.sum();
    }

    /** Duty cycles that left input waiting because an outbound queue was low on room (back-pressure). */
    public long backPressuredCycles() {
        return backPressuredCycles.sum();
    }

    /** Commands refused because the command queue was full. */
    public long commandsRefused() {
        return commandsRefused.sum();
    }

    /** Published states replaced by a newer one before the state thread took them (nothing is lost: only the newest counts). */
    public long statesSuperseded() {
        return statesSuperseded.sum();
    }

    /** Packets read but not processed, or queued but not sent, when the loop stopped. */
    public long discardedAtStop() {
        return discardedAtStop.sum();
    }

    /** Duty cycles run. */
    public long cycles() {
        return cycles.sum();
    }

    /** Payload bytes of the datagrams received on the UDP sockets (UDP payload, no IP/UDP headers). */
    public long datagramBytesIn() {
        return sumOverSockets(SocketCounters::bytesIn);
    }

    /** Payload bytes of the datagrams handed to the kernel (those it refused included). */
    public long datagramBytesOut() {
        return sumOverSockets(SocketCounters::bytesOut);
    }

    /** Nanoseconds the state thread spent parked between duty cycles (idle, waiting for input or a deadline). */
    public long parkedNs() {
        return parkedNs.sum();
    }

    /**
     * {@link System#nanoTime()} when the latest duty cycle started (the loop's creation time before the first):
     * a liveness probe compares it with the current time.
     */
    public long lastCycleNs() {
        return lastCycleNs.getAcquire();
    }

    /**
     * While the state thread is parked between duty cycles: {@link System#nanoTime()} by which its park ends
     * (a timeout it gave the kernel, at most {@link EventLoopConfig#maxParkNs()} away), else 0. A parked loop
     * is idle, not stuck: a liveness probe counts it as live until then.
     */
    public long parkedUntilNs() {
        return parkedUntilNs.getAcquire();
    }

    private long sumOverSockets(ToLongFunction<SocketCounters> counter) {
        long sum = 0;
        for (SocketCounters socket : sockets) {
            sum += counter.applyAsLong(socket);
        }
        return sum;
    }
}
