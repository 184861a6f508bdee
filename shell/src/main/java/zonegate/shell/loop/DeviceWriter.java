package zonegate.shell.loop;

import java.nio.ByteBuffer;
import zonegate.shell.io.EpollPoller;
import zonegate.shell.io.NativeIoException;
import zonegate.shell.io.TunDevice;
import zonegate.shell.io.TunQueue;
import zonegate.packet.gso.FlowCoalescer;

/**
 * Writes IP packets to one TUN queue; a packet the kernel refuses is counted and skipped. On a queue
 * with offloads, the TCP segments (and, where the device took USO for the IP version, the UDP datagrams)
 * of each of up to {@link #COALESCED_FLOWS} flows in a batch are joined ({@link FlowCoalescer}), though
 * other flows' packets come between them, and each flow's super-packet is written with one {@code write};
 * every other packet goes alone behind an all-zero virtio_net_hdr. Each flow's packets are written in
 * batch order, and the packets not coalesced in theirs; packets of different flows may pass each other.
 * With {@link EventLoopConfig#ackThinning()}, a TCP ACK that a later one of its flow in the batch
 * supersedes is left out and counted ({@link LoopCounters#deviceAcksThinned()}).
 *
 * <p>On EAGAIN the packets already written need not be a prefix of the batch: the coalescer remembers
 * them, {@link #write} reports the written prefix, and the next call for the same batch (same fill,
 * from that prefix) skips them. The writer's sends happen-before a hand-over of the batch (see
 * OutboundChannel), so that memory passes between the state thread and the writer thread with it.
 */
final class DeviceWriter extends OutboundChannel {
    /** Open super-packets per batch: 8 * 64 KiB of scratch per TUN queue, for as many interleaved flows. */
    static final int COALESCED_FLOWS = 8;

    private final TunQueue queue;
    private final ErrorLatch errors;
    private final FlowCoalescer coalescer;
    private PacketBatch unfinished;
    private long unfinishedEmptied;
    private int unfinishedFrom;

    DeviceWriter(TunQueue queue, EpollPoller.Registration registration, EventLoopConfig config, WakeSignal stateSignal,
                 LoopCounters counters) {
        super(registration, config, stateSignal, counters);
        this.queue = queue;
        this.errors = new ErrorLatch("TUN write " + queue.deviceName() + " queue " + queue.index());
        this.coalescer = queue.vnetHeader() ? new FlowCoalescer(COALESCED_FLOWS, config.writeBatchSize(),
                (queue.offloads() & TunDevice.TUN_F_USO4) != 0, (queue.offloads() & TunDevice.TUN_F_USO6) != 0,
                config.ackThinning(), new Frames()) : null;
    }

    @Override
    int write(PacketBatch batch, int from) {
        return coalescer == null ? writePlain(batch, from) : writeCoalesced(batch, from);
    }

    private int writePlain(PacketBatch batch, int from) {
        int i = from;
        for (; i < batch.count; i++) {
            try {
                if (queue.write(batch.bytes[i]) == TunQueue.WOULD_BLOCK) {
                    break;
                }
                counters.devicePacketsOut.increment();
                counters.deviceWrites.increment();
                errors.onSuccess();
            } catch (NativeIoException e) {
                counters.deviceWriteErrors.increment();
                errors.onError(e.errnoName(), e.getMessage());
            }
        }
        return i - from;
    }

    private int writeCoalesced(PacketBatch batch, int from) {
        boolean resume = batch == unfinished && batch.emptied == unfinishedEmptied && from == unfinishedFrom;
        int end = coalescer.writeBatch(batch.bytes, from, batch.count, resume);
        unfinished = end < batch.count ? batch : null;
        unfinishedEmptied = batch.emptied;
        unfinishedFrom = end;
        return end - from;
    }

    /** Where the coalescer's frames go: one {@code write} each. */
    private final class Frames implements FlowCoalescer.Sink {
        @Override
        public boolean write(ByteBuffer frame, int[] ids, int count) {
            try {
                if (queue.write(frame) == TunQueue.WOULD_BLOCK) {
                    return false;
                }
                counters.devicePacketsOut.add(count);
                counters.deviceWrites.increment();
                errors.onSuccess();
            } catch (NativeIoException e) {
                counters.deviceWriteErrors.add(count);
                errors.onError(e.errnoName(), e.getMessage());
            }
            return true;
        }

        @Override
        public void onTooLong(int id) {
            counters.deviceWriteErrors.increment();
        }

        @Override
        public void onSuperseded(int id) {
            counters.deviceAcksThinned.increment();
        }
    }
}
