package zonegate.shell.loop;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
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
 */
final class DutyCycle implements Outbound {
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
    private final ErrorLatch driverErrors = new ErrorLatch("state machine driver");
    private int firstSource;
    private int idleCycles;
    private boolean cycleHadErrors;
    private volatile Heartbeat heartbeat;
    private long lastBeatNs;

    DutyCycle(StateMachineDriver driver, BufferPool pool, EventLoopConfig config, List<DeviceReader> deviceReaders,
              List<SocketReader> socketReaders, List<DeviceWriter> deviceWriters, List<SocketWriter> socketWriters,
              CommandInbox commands, WakeSignal stateSignal, LoopCounters counters) {
        this.driver = driver;
        this.pool = pool;
        this.config = config;
        this.sources = Stream.concat(deviceReaders.stream(), socketReaders.stream())
                .toArray(SourceReader[]::new);
        this.deviceWriters = deviceWriters.toArray(DeviceWriter[]::new);
        this.socketWriters = socketWriters.toArray(SocketWriter[]::new);
        this.channels = Stream.concat(deviceWriters.stream(), socketWriters.stream())
                .toArray(OutboundChannel[]::new);
        this.commands = commands;
        this.stateSignal = stateSignal;
        this.counters = counters;
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
            long waitNs = Math.min(config.maxParkNs(), driver.nextDeadlineNs() - nowNs);
            if (waitNs > 0 && !hasWork()) {
                LockSupport.parkNanos(this, waitNs);
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

    void flush() {
        for (OutboundChannel channel : channels) {
            channel.flush();
        }
    }

    @Override
    public PooledBuffer acquire() {
        return pool.acquire();
    }

    @Override
    public boolean sendDatagram(int socketIndex, InetSocketAddress destination, PooledBuffer datagram) {
        return socketWriters[socketIndex].offer(datagram, destination);
    }

    @Override
    public boolean writeToDevice(int flowHash, PooledBuffer packet) {
        if (deviceWriters.length == 0) {
            packet.pool().release(packet);
            counters.outboundDrops.increment();
            return false;
        }
        return deviceWriters[Math.floorMod(flowHash, deviceWriters.length)].offer(packet, null);
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
        int handled = 0;
        Object latest = commands.takeLatest();
        if (latest != null) {
            handled++;
            try {
                driver.onCommand(latest, nowNs);
            } catch (RuntimeException e) {
                onDriverError(e);
            }
        }
        for (Object command; handled < config.commandsPerCycle() && (command = commands.poll()) != null; handled++) {
            try {
                driver.onCommand(command, nowNs);
            } catch (RuntimeException e) {
                onDriverError(e);
            }
        }
        return handled;
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

    private int process(SourceReader source, PacketBatch batch, long nowNs) {
        boolean device = source instanceof DeviceReader;
        for (int i = 0; i < batch.count; i++) {
            InetSocketAddress peer = batch.peers[i];
            PooledBuffer buffer = batch.take(i);
            boolean kept = false;
            try {
                if (device) {
                    kept = driver.onDevicePacket(source.index, buffer, nowNs);
                } else if (peer == null) {
                    counters.truncatedDatagrams.increment();
                } else {
                    kept = driver.onDatagram(source.index, peer, buffer, nowNs);
                }
            } catch (RuntimeException e) {
                kept = false;
                onDriverError(e);
            }
            if (!kept) {
                pool.release(buffer);
            }
        }
        int processed = batch.count;
        source.giveBack(batch);
        return processed;
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

    private boolean outboundHasRoom() {
        for (OutboundChannel channel : channels) {
            if (!channel.hasRoom(config.outboundReserveBatches())) {
                return false;
            }
        }
        return true;
    }

    private boolean hasWork() {
        if (!commands.isEmpty()) {
            return true;
        }
        if (!outboundHasRoom()) {
            return false;                                    // a writer wakes this thread when it frees a batch
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
