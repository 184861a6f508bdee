package zonegate.shell.loop;

import zonegate.shell.io.EpollPoller;
import zonegate.shell.io.NativeIoException;
import zonegate.shell.io.TunQueue;
import zonegate.packet.BufferPool;

/** Reads IP packets from one TUN queue: up to a batch of non-blocking reads in a row. */
final class DeviceReader extends SourceReader {
    private final TunQueue queue;

    DeviceReader(TunQueue queue, EpollPoller.Registration registration, BufferPool pool, EventLoopConfig config,
                 WakeSignal stateSignal, LoopCounters counters) {
        super(queue.index(), registration, pool, config, stateSignal, counters,
                "TUN read " + queue.deviceName() + " queue " + queue.index());
        this.queue = queue;
    }

    @Override
    int read(PacketBatch batch, int slots) throws NativeIoException {
        int n = 0;
        try {
            while (n < slots && queue.read(batch.bytes[n]) != TunQueue.WOULD_BLOCK) {
                n++;
            }
        } catch (NativeIoException e) {
            if (n == 0) {
                throw e;
            }
            // Deliver what was read; the error comes back on the next read.
        }
        counters.devicePacketsIn.add(n);
        return n == 0 ? WOULD_BLOCK : n;
    }
}
