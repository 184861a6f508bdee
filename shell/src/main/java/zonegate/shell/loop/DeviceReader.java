package zonegate.shell.loop;

import java.nio.ByteBuffer;
import zonegate.shell.io.EpollPoller;
import zonegate.shell.io.NativeIoException;
import zonegate.shell.io.TunQueue;
import zonegate.packet.BufferPool;
import zonegate.packet.gso.GsoSegmenter;
import zonegate.packet.gso.VirtioNetHeader;

/**
 * Reads IP packets from one TUN queue: up to a batch of non-blocking reads in a row. On a queue with
 * offloads each read goes into a 64 KiB scratch buffer and its super-packet is cut into ordinary packets
 * in the batch's pooled buffers; segments that do not fit in this batch wait for the next one.
 */
final class DeviceReader extends SourceReader {
    private static final int SCRATCH_BYTES = VirtioNetHeader.BYTES + 65_536;

    private final TunQueue queue;
    private final ByteBuffer scratch;
    private final GsoSegmenter segmenter;
    private int segmentCount;
    private int nextSegment;

    DeviceReader(TunQueue queue, EpollPoller.Registration registration, BufferPool pool, EventLoopConfig config,
                 WakeSignal stateSignal, LoopCounters counters) {
        super(queue.index(), registration, pool, config, stateSignal, counters,
                "TUN read " + queue.deviceName() + " queue " + queue.index());
        this.queue = queue;
        this.scratch = queue.vnetHeader() ? ByteBuffer.allocateDirect(SCRATCH_BYTES) : null;
        this.segmenter = queue.vnetHeader() ? new GsoSegmenter() : null;
    }

    @Override
    int fd() {
        return queue.fd();
    }

    @Override
    boolean hasPending() {
        return nextSegment < segmentCount;
    }

    @Override
    int read(PacketBatch batch, int slots) throws NativeIoException {
        int n = 0;
        try {
            n = scratch == null ? readPlain(batch, slots) : readSegmented(batch, slots);
        } catch (PartialRead e) {
            n = e.packets;
            if (n == 0) {
                throw e.cause;
            }
            // Deliver what was read; the error comes back on the next read.
        }
        counters.devicePacketsIn.add(n);
        return n == 0 ? WOULD_BLOCK : n;
    }

    private int readPlain(PacketBatch batch, int slots) throws PartialRead {
        int n = 0;
        try {
            while (n < slots && queue.read(batch.bytes[n]) != TunQueue.WOULD_BLOCK) {
                n++;
            }
        } catch (NativeIoException e) {
            throw new PartialRead(n, e);
        }
        counters.deviceReads.add(n);
        return n;
    }

    private int readSegmented(PacketBatch batch, int slots) throws PartialRead {
        int n = 0;
        while (n < slots) {
            if (nextSegment < segmentCount) {
                ByteBuffer dst = batch.bytes[n];
                dst.clear();
                int length = segmenter.writeSegment(nextSegment++, dst, 0);
                if (length < 0) {
                    counters.deviceOffloadDrops.increment();
                    continue;
                }
                dst.limit(length);
                n++;
                continue;
            }
            scratch.clear();
            int read;
            try {
                read = queue.read(scratch);
            } catch (NativeIoException e) {
                throw new PartialRead(n, e);
            }
            if (read == TunQueue.WOULD_BLOCK) {
                break;
            }
            counters.deviceReads.increment();
            int count = read <= VirtioNetHeader.BYTES ? GsoSegmenter.MALFORMED
                    : segmenter.prepare(scratch, 0, VirtioNetHeader.BYTES, read - VirtioNetHeader.BYTES);
            if (count < 0) {
                counters.deviceOffloadDrops.increment();
                continue;
            }
            segmentCount = count;
            nextSegment = 0;
        }
        return n;
    }

    /** A read error after {@code packets} packets of the batch were already read. */
    private static final class PartialRead extends Exception {
        final int packets;
        final NativeIoException cause;

        PartialRead(int packets, NativeIoException cause) {
            super(null, null, false, false);
            this.packets = packets;
            this.cause = cause;
        }
    }
}
