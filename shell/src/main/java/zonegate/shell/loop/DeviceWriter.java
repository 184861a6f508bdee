package zonegate.shell.loop;

import java.nio.ByteBuffer;
import zonegate.shell.io.EpollPoller;
import zonegate.shell.io.NativeIoException;
import zonegate.shell.io.TunQueue;
import zonegate.packet.gso.TcpCoalescer;
import zonegate.packet.gso.VirtioNetHeader;

/**
 * Writes IP packets to one TUN queue; a packet the kernel refuses is counted and skipped. On a queue
 * with offloads, consecutive TCP segments of one flow in a batch are joined ({@link TcpCoalescer}) and
 * written as one super-packet; every other packet goes alone behind an all-zero virtio_net_hdr. Packets
 * are written in batch order either way.
 */
final class DeviceWriter extends OutboundChannel {
    private final TunQueue queue;
    private final ErrorLatch errors;
    private final ByteBuffer scratch;
    private final TcpCoalescer coalescer;

    DeviceWriter(TunQueue queue, EpollPoller.Registration registration, EventLoopConfig config, WakeSignal stateSignal,
                 LoopCounters counters) {
        super(registration, config, stateSignal, counters);
        this.queue = queue;
        this.errors = new ErrorLatch("TUN write " + queue.deviceName() + " queue " + queue.index());
        this.scratch = queue.vnetHeader()
                ? ByteBuffer.allocateDirect(VirtioNetHeader.BYTES + TcpCoalescer.MAX_PACKET_BYTES) : null;
        this.coalescer = queue.vnetHeader() ? new TcpCoalescer() : null;
    }

    @Override
    int write(PacketBatch batch, int from) {
        return scratch == null ? writePlain(batch, from) : writeCoalesced(batch, from);
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
        int i = from;
        while (i < batch.count) {
            ByteBuffer first = batch.bytes[i];
            if (first.remaining() > TcpCoalescer.MAX_PACKET_BYTES) {
                counters.deviceWriteErrors.increment();
                i++;
                continue;
            }
            int j = i + 1;
            if (coalescer.begin(scratch, 0, first, first.position(), first.remaining())) {
                while (j < batch.count && coalescer.append(batch.bytes[j], batch.bytes[j].position(),
                        batch.bytes[j].remaining())) {
                    j++;
                }
            }
            scratch.limit(coalescer.finish()).position(0);
            try {
                if (queue.write(scratch) == TunQueue.WOULD_BLOCK) {
                    break;
                }
                counters.devicePacketsOut.add(j - i);
                counters.deviceWrites.increment();
                errors.onSuccess();
            } catch (NativeIoException e) {
                counters.deviceWriteErrors.add(j - i);
                errors.onError(e.errnoName(), e.getMessage());
            }
            i = j;
        }
        return i - from;
    }
}
