package zonegate.shell.loop;

import zonegate.shell.io.EpollPoller;
import zonegate.shell.io.NativeIoException;
import zonegate.shell.io.TunQueue;

/** Writes IP packets to one TUN queue; a packet the kernel refuses is counted and skipped. */
final class DeviceWriter extends OutboundChannel {
    private final TunQueue queue;
    private final ErrorLatch errors;

    DeviceWriter(TunQueue queue, EpollPoller.Registration registration, EventLoopConfig config, WakeSignal stateSignal,
                 LoopCounters counters) {
        super(registration, config, stateSignal, counters);
        this.queue = queue;
        this.errors = new ErrorLatch("TUN write " + queue.deviceName() + " queue " + queue.index());
    }

    @Override
    int write(PacketBatch batch, int from) {
        int i = from;
        for (; i < batch.count; i++) {
            try {
                if (queue.write(batch.bytes[i]) == TunQueue.WOULD_BLOCK) {
                    break;
                }
                counters.devicePacketsOut.increment();
                errors.onSuccess();
            } catch (NativeIoException e) {
                counters.deviceWriteErrors.increment();
                errors.onError(e.errnoName(), e.getMessage());
            }
        }
        return i - from;
    }
}
