package zonegate.shell.loop;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import zonegate.shell.io.NativeIoException;
import zonegate.packet.BufferPool;
import zonegate.packet.PooledBuffer;

/**
 * The state thread's work: one duty cycle ({@link #doWork}) and the idle strategy between cycles
 * ({@link #idle}), after Aeron's agent loop. Also the driver's {@link Outbound}.
 *
 * <p>A cycle: sample the clock once; run the driver's due timeout; hand it the latest published state and
 * the queued commands (before any packet, so a control-plane change applies to the packets after it); take up to
 * {@code drainBatchesPerCycle} batches from each source in turn, starting one source later each cycle,
 * and only while every outbound channel has its reserve of free batches (back-pressure); flush the
 * outbound batches, so output leaves before more input is taken.
 *
 * <p>With {@link StateThreadInputs} (state-thread I/O) the TUN queues and UDP sockets are read here, each
 * ready one for at most {@code drainBatchesPerCycle} batches per cycle, and the thread sleeps in their epoll
 * set instead of parking. A cycle costs in proportion to the channels it touched and the fds that were
 * ready, not to how many there are (a relay has hundreds): only channels written this cycle are flushed,
 * and only those and the channels whose writer still holds batches can be short of room.
 */
final class DutyCycle implements Outbound {
    private static final long EPOLL_ERROR_BACKOFF_NS = 10_000_000;
    private final StateMachineDriver driver;
    private final BufferPool pool;
    private final EventLoopConfig config;
    private final SourceReader[] sources;
    private final DeviceWriter[] deviceWriters;
    private final SocketWriter[] socketWriters;
    private final OutboundChannel[] channels;
    private final CommandInbox commands;
    private final WakeSignal stateSignal;
    private final LoopCounters counters;
    private final StateThreadInputs direct;
    private final OutboundChannel[] touched;
    private final OutboundChannel[] busy;
    private int touchedCount;
    private int busyCount;
    private final ErrorLatch driverErrors = new ErrorLatch("state machine driver");
    private final ErrorLatch epollErrors = new ErrorLatch("state thread epoll");
    private int firstSource;
    private int idleCycles;
    private boolean cycleHadErrors;
    private volatile Heartbeat heartbeat;
    private long lastBeatNs;

    DutyCycle(StateMachineDriver driver, BufferPool pool, EventLoopConfig config, List<SourceReader> sources,
              List<DeviceWriter> deviceWriters, List<SocketWriter> socketWriters, CommandInbox commands,
              WakeSignal stateSignal, LoopCounters counters, StateThreadInputs direct) {
        this.driver = driver;
        this.pool = pool;
        this.config = config;
        this.sources = sources.toArray(SourceReader[]::new);
        this.deviceWriters = deviceWriters.toArray(DeviceWriter[]::new);
        this.socketWriters = socketWriters.toArray(SocketWriter[]::new);
        this.channels = Stream.concat(deviceWriters.stream(), socketWriters.stream())
                .toArray(OutboundChannel[]::new);
        this.commands = commands;
        this.stateSignal = stateSignal;
        this.counters = counters;
        this.direct = direct;
        this.touched = new OutboundChannel[channels.length];
        this.busy = new OutboundChannel[channels.length];
    }

    /** One duty cycle. Returns the amount of work done (0: nothing to do, time to idle). */
    int doWork() {
        long nowNs = System.nanoTime();
        counters.cycles.increment();
        counters.lastCycleNs.setRelease(nowNs);
        cycleHadErrors = false;
        int work = 0;
        if (driver.nextDeadlineNs() - nowNs <= 0) {
            try {
                driver.onTimeout(nowNs);
            } catch (RuntimeException e) {
                onDriverError(e);
            }
            work++;
        }
        beatIfDue(nowNs);
        work += drainCommands(nowNs);
        work += drainSources(nowNs);
        if (direct != null) {
            work += drainDirect(nowNs);
        }
        flush();
        if (!cycleHadErrors) {
            driverErrors.onSuccess();
        }
        return work;
    }

    /** Spins, then yields, then parks until the earliest deadline, new input or room for output. */
    void idle(int work) {
        if (work > 0) {
            idleCycles = 0;
            return;
        }
        idleCycles++;
        if (idleCycles <= config.spinCycles()) {
            Thread.onSpinWait();
        } else if (idleCycles <= config.spinCycles() + config.yieldCycles()) {
            Thread.yield();
        } else {
            stateSignal.prepare();
            long nowNs = System.nanoTime();
            long waitNs = Math.min(Math.min(config.maxParkNs(), driver.nextDeadlineNs() - nowNs), untilBeatNs(nowNs));
            if (waitNs > 0 && !hasWork()) {
                counters.parkedUntilNs.setRelease(nowNs + waitNs);
                if (direct == null) {
                    LockSupport.parkNanos(this, waitNs);
                } else {
                    sleep(waitNs);
                }
                counters.parkedUntilNs.setRelease(0);
                counters.parkedNs.add(System.nanoTime() - nowNs);
            }
            stateSignal.cancel();
        }
    }

    /** Calls the driver's {@code onStop} with the current time and flushes what it emitted. */
    void stop() {
        driver.onStop(System.nanoTime());
        flush();
    }

    void start() {
        driver.onStart(this, System.nanoTime());
    }

    void setHeartbeat(long intervalNs, Runnable beat) {
        heartbeat = new Heartbeat(intervalNs, beat);
    }

    /** Flushes the channels written since the last flush; those whose writer now holds a batch become busy. */
    void flush() {
        for (int i = 0; i < touchedCount; i++) {
            OutboundChannel channel = touched[i];
            touched[i] = null;
            channel.touched = false;
            channel.flush();
            if (!channel.busy && channel.writerHolds()) {
                channel.busy = true;
                busy[busyCount++] = channel;
            }
        }
        touchedCount = 0;
    }

    /** After the state thread ended: the state-thread I/O batch's buffers back to the pool. */
    void releaseDirect() {
        if (direct != null) {
            direct.release();
        }
    }

    @Override
    public PooledBuffer acquire() {
        return pool.acquire();
    }

    @Override
    public boolean sendDatagram(int socketIndex, InetSocketAddress destination, PooledBuffer datagram) {
        SocketWriter writer = socketWriters[socketIndex];
        touch(writer);
        return writer.offer(datagram, destination);
    }

    @Override
    public boolean writeToDevice(int flowHash, PooledBuffer packet) {
        if (deviceWriters.length == 0) {
            packet.pool().release(packet);
            counters.outboundDrops.increment();
            return false;
        }
        DeviceWriter writer = deviceWriters[Math.floorMod(flowHash, deviceWriters.length)];
        touch(writer);
        return writer.offer(packet, null);
    }

    @Override
    public int socketCount() {
        return socketWriters.length;
    }

    @Override
    public int deviceQueueCount() {
        return deviceWriters.length;
    }

    private int drainCommands(long nowNs) {
        int handled = takeLatest(nowNs);
        for (Object command; handled < config.commandsPerCycle() && (command = commands.poll()) != null; handled++) {
            // A state published before this command was queued is handed over first, so a caller that
            // publishes and then asks (apply, then counters) is answered from the state it published.
            handled += takeLatest(nowNs);
            onCommand(command, nowNs);
        }
        return handled;
    }

    private int takeLatest(long nowNs) {
        Object latest = commands.takeLatest();
        if (latest == null) {
            return 0;
        }
        onCommand(latest, nowNs);
        return 1;
    }

    private void onCommand(Object command, long nowNs) {
        try {
            driver.onCommand(command, nowNs);
        } catch (RuntimeException e) {
            onDriverError(e);
        }
    }

    private int drainSources(long nowNs) {
        int work = 0;
        int count = sources.length;
        for (int k = 0; k < count; k++) {
            SourceReader source = sources[(firstSource + k) % count];
            for (int b = 0; b < config.drainBatchesPerCycle(); b++) {
                if (!outboundHasRoom()) {
                    counters.backPressuredCycles.increment();
                    firstSource = (firstSource + 1) % Math.max(1, count);
                    return work;
                }
                PacketBatch batch = source.ready.poll();
                if (batch == null) {
                    break;
                }
                work += process(source, batch, nowNs);
            }
        }
        firstSource = (firstSource + 1) % Math.max(1, count);
        return work;
    }

    private void touch(OutboundChannel channel) {
        if (!channel.touched) {
            channel.touched = true;
            touched[touchedCount++] = channel;
        }
    }

    /**
     * Reads the ready TUN queues and sockets, each for at most {@code drainBatchesPerCycle} batches, while
     * outbound has room.
     */
    private int drainDirect(long nowNs) {
        int ready;
        try {
            ready = direct.ready();
        } catch (NativeIoException e) {
            onEpollError(e);
            return 0;
        }
        int work = 0;
        for (int k = 0; k < ready; k++) {
            int position = direct.readySource(k);
            SourceReader source = direct.source(position);
            for (int b = 0; b < config.drainBatchesPerCycle(); b++) {
                if (!outboundHasRoom()) {
                    counters.backPressuredCycles.increment();
                    return work;
                }
                int slots = direct.slots();
                if (slots == 0) {
                    counters.poolStalls.increment();
                    return work;
                }
                int n = direct.receive(position, slots);
                if (n == 0) {
                    break;
                }
                work += processDirect(source, n, nowNs);
                if (n < slots) {
                    break;                                       // drained: a further read would meet EAGAIN
                }
            }
        }
        return work;
    }

    private int processDirect(SourceReader source, int n, long nowNs) {
        PacketBatch batch = direct.batch;
        boolean device = source instanceof DeviceReader;
        for (int i = 0; i < n; i++) {
            direct.done(i, deliver(source.index, device, batch.buffers[i], batch.peers[i], nowNs));
        }
        batch.count = 0;
        return n;
    }

    /** Sleeps in the state-thread I/O epoll set; with outbound short of room only a (writer's) wake-up ends it. */
    private void sleep(long waitNs) {
        try {
            if (outboundHasRoom()) {
                direct.sleep(waitNs);
            } else {
                direct.sleepUntilWoken(waitNs);
            }
            epollErrors.onSuccess();
        } catch (NativeIoException e) {
            onEpollError(e);
            LockSupport.parkNanos(this, Math.min(waitNs, EPOLL_ERROR_BACKOFF_NS));
        }
    }

    private void onEpollError(NativeIoException e) {
        counters.readErrors.increment();
        epollErrors.onError(e.errnoName(), e.getMessage());
    }

    private int process(SourceReader source, PacketBatch batch, long nowNs) {
        boolean device = source instanceof DeviceReader;
        for (int i = 0; i < batch.count; i++) {
            InetSocketAddress peer = batch.peers[i];
            PooledBuffer buffer = batch.take(i);
            if (!deliver(source.index, device, buffer, peer, nowNs)) {
                pool.release(buffer);
            }
        }
        int processed = batch.count;
        source.giveBack(batch);
        return processed;
    }

    /**
     * Hands one packet (TUN) or datagram (UDP, {@code peer} null when it was truncated) to the driver.
     *
     * @return whether the driver kept the buffer
     */
    private boolean deliver(int index, boolean device, PooledBuffer buffer, InetSocketAddress peer, long nowNs) {
        try {
            if (device) {
                return driver.onDevicePacket(index, buffer, nowNs);
            }
            if (peer == null) {
                counters.truncatedDatagrams.increment();
                return false;
            }
            return driver.onDatagram(index, peer, buffer, nowNs);
        } catch (RuntimeException e) {
            onDriverError(e);
            return false;
        }
    }

    /** Nanoseconds until the next heartbeat is due ({@link Long#MAX_VALUE} without one), so a park ends for it. */
    private long untilBeatNs(long nowNs) {
        Heartbeat current = heartbeat;
        if (current == null) {
            return Long.MAX_VALUE;
        }
        return current.beaten ? lastBeatNs + current.intervalNs - nowNs : 0;
    }

    /** The first cycle after a new heartbeat is set beats at once; later ones every interval. */
    private void beatIfDue(long nowNs) {
        Heartbeat current = heartbeat;
        if (current == null || (current.beaten && nowNs - lastBeatNs < current.intervalNs)) {
            return;
        }
        current.beaten = true;
        lastBeatNs = nowNs;
        try {
            current.beat.run();
        } catch (RuntimeException e) {
            onDriverError(e);
        }
    }

    private void onDriverError(RuntimeException e) {
        counters.driverErrors.increment();
        cycleHadErrors = true;
        driverErrors.onError(e.getClass().getName(), e.getMessage());
    }

    /**
     * Whether every channel has its reserve of free batches. Only a channel whose writer holds batches can
     * be short (one the state thread is filling has all the others free, and there are more than the
     * reserve), and only one touched this cycle or listed busy can have a writer holding batches; busy ones
     * whose writer has given everything back leave the list.
     */
    private boolean outboundHasRoom() {
        int reserve = config.outboundReserveBatches();
        for (int i = 0; i < touchedCount; i++) {
            if (!touched[i].hasRoom(reserve)) {
                return false;
            }
        }
        boolean room = true;
        for (int i = 0; i < busyCount; ) {
            OutboundChannel channel = busy[i];
            if (!channel.writerHolds()) {
                channel.busy = false;
                busy[i] = busy[--busyCount];
                busy[busyCount] = null;
                continue;
            }
            if (!channel.hasRoom(reserve)) {
                room = false;
            }
            i++;
        }
        return room;
    }

    private boolean hasWork() {
        if (!commands.isEmpty()) {
            return true;
        }
        if (!outboundHasRoom()) {
            return false;                                    // a writer wakes this thread when it frees a batch
        }
        if (direct != null && direct.hasPending()) {
            return true;
        }
        for (SourceReader source : sources) {
            if (!source.ready.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** {@code beaten} is only touched by the state thread. */
    private static final class Heartbeat {
        final long intervalNs;
        final Runnable beat;
        boolean beaten;

        Heartbeat(long intervalNs, Runnable beat) {
            this.intervalNs = intervalNs;
            this.beat = beat;
        }
    }
}
