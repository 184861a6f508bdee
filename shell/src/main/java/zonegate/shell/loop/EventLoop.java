package zonegate.shell.loop;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.tinylog.Logger;
import zonegate.shell.io.EpollPoller;
import zonegate.shell.io.EpollSet;
import zonegate.shell.io.NativeIoException;
import zonegate.shell.io.TunDevice;
import zonegate.shell.io.TunQueue;
import zonegate.shell.io.UdpSocket;
import zonegate.packet.BufferPool;

/**
 * The shell's event loop (DESIGN.md section 3): virtual-thread readers and writers at the I/O edges,
 * one state-machine thread in the middle running the {@link StateMachineDriver}.
 *
 * <pre>
 * TUN queue k  --reader--> bounded queue --\                          /--> writer (TUN queue)
 * UDP socket j --reader--> bounded queue ----> state thread (driver) ----> writer (UDP, GSO runs)
 * submit(cmd)  ----------> bounded queue --/
 * </pre>
 *
 * <p>With {@link EventLoopConfig#withStateThreadIo()} there are no reader threads: the state thread reads
 * the TUN queues and the sockets itself, sleeps in their epoll set, and writes its output itself, leaving to
 * a writer only what its fd refuses (EAGAIN; see there).
 *
 * <p>The loop owns the device and sockets it is given and closes them at {@link #close()}: stop
 * reading, let the driver say goodbye ({@link StateMachineDriver#onStop}), flush outbound for at most
 * {@link EventLoopConfig#flushTimeoutNs()}, release every pooled buffer still in the loop, close the
 * fds. Every queue is bounded (see {@link EventLoopConfig}); what is dropped or refused is counted in
 * {@link #counters()}.
 *
 * <pre>{@code
 * BufferPool pool = new BufferPool(2048, 4096, true);
 * EventLoop loop = EventLoop.create(EventLoopConfig.defaults(), driver, pool, tun, List.of(udp4, udp6));
 * loop.start();                  // or startEmbedded() and, on your thread: while (on) loop.idle(loop.invoke());
 * loop.submit(command);          // from any thread
 * loop.close();                  // graceful: at most ~1 s of flushing
 * }</pre>
 */
public final class EventLoop implements AutoCloseable {
    private static final long READER_JOIN_MS = 2_000;

    private final EventLoopConfig config;
    private final TunDevice device;
    private final List<UdpSocket> sockets;
    private final EpollPoller poller;
    private final EpollSet stateEpoll;
    private final List<EpollPoller.Registration> registrations;
    private final List<SourceReader> readers;
    private final List<OutboundChannel> writers;
    private final List<Thread> ioThreads = new ArrayList<>();
    private final CommandInbox commands;
    private final WakeSignal stateSignal;
    private final LoopCounters counters;
    private final DutyCycle cycle;
    private Thread stateThread;
    private volatile boolean running;
    private boolean started;
    private boolean closed;

    private EventLoop(EventLoopConfig config, StateMachineDriver driver, BufferPool pool, TunDevice device,
                      List<UdpSocket> sockets, EpollPoller poller, EpollSet stateEpoll) throws NativeIoException {
        this.config = config;
        this.device = device;
        this.sockets = List.copyOf(sockets);
        this.counters = new LoopCounters(this.sockets.size());
        this.poller = poller;
        this.stateEpoll = stateEpoll;
        this.stateSignal = new WakeSignal(stateEpoll);
        this.commands = new CommandInbox(config.commandCapacity());
        List<EpollPoller.Registration> registered = new ArrayList<>();
        List<SourceReader> deviceReaders = new ArrayList<>();
        List<DeviceWriter> deviceWriters = new ArrayList<>();
        for (TunQueue queue : device == null ? List.<TunQueue>of() : device.queues()) {
            EpollPoller.Registration registration = poller.register(queue.fd());
            registered.add(registration);
            deviceReaders.add(new DeviceReader(queue, registration, pool, config, stateSignal, counters));
            deviceWriters.add(new DeviceWriter(queue, registration, config, stateSignal, counters));
        }
        List<SourceReader> socketReaders = new ArrayList<>();
        List<SocketWriter> socketWriters = new ArrayList<>();
        for (int i = 0; i < this.sockets.size(); i++) {
            UdpSocket socket = this.sockets.get(i);
            EpollPoller.Registration registration = poller.register(socket.fd());
            registered.add(registration);
            socketReaders.add(new SocketReader(i, socket, registration, pool, config, stateSignal, counters));
            socketWriters.add(new SocketWriter(i, socket, registration, config, stateSignal, counters));
        }
        List<SourceReader> allReaders = concat(deviceReaders, socketReaders);
        StateThreadInputs direct = null;
        if (stateEpoll != null) {
            direct = new StateThreadInputs(stateEpoll, allReaders, pool, config);
            deviceWriters.forEach(OutboundChannel::sendDirectly);
            socketWriters.forEach(OutboundChannel::sendDirectly);
        }
        this.registrations = List.copyOf(registered);
        this.readers = direct == null ? List.copyOf(allReaders) : List.of();
        this.writers = List.copyOf(concat(deviceWriters, socketWriters));
        this.cycle = new DutyCycle(driver, pool, config, readers, deviceWriters, socketWriters, commands,
                stateSignal, counters, direct);
    }

    /**
     * Builds a loop over {@code device} (null for none) and {@code sockets} (socket index = list index),
     * with its own epoll poller thread. Nothing reads until {@link #start()} or {@link #startEmbedded()}.
     *
     * @param pool where readers take buffers (direct, each large enough for one packet or datagram), at least
     *             {@link #minimumPoolBuffers} of them
     * @throws IllegalArgumentException when the pool is smaller than {@link #minimumPoolBuffers}
     */
    public static EventLoop create(EventLoopConfig config, StateMachineDriver driver, BufferPool pool, TunDevice device,
                                   List<UdpSocket> sockets) throws NativeIoException {
        Objects.requireNonNull(driver, "driver");
        int minimum = minimumPoolBuffers(config, device == null ? 0 : device.queueCount(), sockets.size());
        if (pool.capacity() < minimum) {
            throw new IllegalArgumentException("a pool of " + pool.capacity() + " buffers is too small for "
                    + (device == null ? 0 : device.queueCount()) + " TUN queues and " + sockets.size()
                    + " sockets: their readers keep filled batches of up to " + minimum + " buffers");
        }
        int fds = (device == null ? 0 : device.queueCount()) + sockets.size();
        EpollPoller poller = EpollPoller.start("zonegate-epoll", Math.max(1, fds));
        EpollSet stateEpoll = null;
        try {
            stateEpoll = config.stateThreadIo() ? EpollSet.open(Math.max(1, fds)) : null;
            return new EventLoop(config, driver, pool, device, sockets, poller, stateEpoll);
        } catch (NativeIoException | RuntimeException e) {
            if (stateEpoll != null) {
                stateEpoll.close();
            }
            poller.close();
            throw e;
        }
    }

    /**
     * The fewest buffers a pool must hold for a loop over {@code tunQueues} and {@code sockets}: every reader
     * keeps its batches filled between reads (up to {@code readBatchesPerSource x readBatchSize} buffers;
     * with state-thread I/O, the state thread's one batch), so a smaller pool could leave a reader nothing while
     * the others' idle batches hold it all. Give the pool this much plus what the driver and the outbound
     * queues hold; a pool allocates its buffers as they are first taken, so a generous bound costs nothing.
     */
    public static int minimumPoolBuffers(EventLoopConfig config, int tunQueues, int sockets) {
        if (config.stateThreadIo()) {
            return tunQueues + sockets == 0 ? 0 : config.readBatchSize();
        }
        return (tunQueues + sockets) * config.readBatchesPerSource() * config.readBatchSize();
    }

    /**
     * Starts the readers (none with state-thread I/O), the writers and the state-machine platform thread
     * ({@code zonegate-state}).
     */
    public synchronized void start() {
        startIo();
        stateThread = Thread.ofPlatform().name("zonegate-state").unstarted(this::runStateThread);
        stateThread.start();
    }

    /**
     * Starts the readers (none with state-thread I/O) and writers only, and calls the driver's {@code onStart}
     * on the calling thread: that thread (and only it) then runs the state machine with {@link #invoke()} and
     * {@link #idle}.
     */
    public synchronized void startEmbedded() {
        startIo();
        cycle.start();
    }

    /** One duty cycle on the calling thread (embedded mode). Returns the work done; 0 means idle. */
    public int invoke() {
        return cycle.doWork();
    }

    /** The idle strategy after a cycle that did {@code work} (embedded mode): spin, yield, then park. */
    public void idle(int work) {
        cycle.idle(work);
    }

    /**
     * Queues a command for the driver's {@link StateMachineDriver#onCommand}, from any thread.
     *
     * @return false when the command queue is full (counted in {@link LoopCounters#commandsRefused()})
     */
    public boolean submit(Object command) {
        if (!commands.offer(command)) {
            counters.commandsRefused.increment();
            return false;
        }
        stateSignal.wake();
        return true;
    }

    /**
     * Hands the driver the latest desired state (a full policy), from any thread. Never refused: it waits
     * in its own slot, checked every cycle before the command queue and again before each queued command (so
     * a state published before a command was {@link #submit}ted reaches the driver before that command), and
     * a newer state replaces one the driver has not taken yet (counted in {@link LoopCounters#statesSuperseded()}).
     */
    public void publishLatest(Object state) {
        if (commands.publishLatest(state)) {
            counters.statesSuperseded.increment();
        }
        stateSignal.wake();
    }

    /**
     * Runs {@code beat} on the state-machine thread (the loop's, or the embedder's that calls
     * {@link #invoke()}) at the first duty cycle at least {@code intervalNs} after the previous beat, so
     * it proves the loop still turns: a service manager's watchdog ping ({@code WATCHDOG=1}, see
     * {@link zonegate.shell.io.SystemdNotify}) belongs here. An idle loop parks no longer than until the next
     * beat is due, so beats are on time however idle the loop is (and late only when a cycle is).
     * May be called before or after start, from any thread; a later call replaces the heartbeat (and wakes
     * the loop, whose first cycle beats at once). A beat
     * that throws is counted as a driver error.
     *
     * @param intervalNs at least 1
     * @param beat quick and non-blocking: it runs between two duty cycles
     */
    public void setHeartbeat(long intervalNs, Runnable beat) {
        if (intervalNs < 1) {
            throw new IllegalArgumentException("heartbeat interval must be positive: " + intervalNs);
        }
        cycle.setHeartbeat(intervalNs, Objects.requireNonNull(beat, "beat"));
        stateSignal.wake();
    }

    /** What the loop did, dropped and refused; readable from any thread. */
    public LoopCounters counters() {
        return counters;
    }

    /** The outbound channel of socket {@code index} (tests read its direct-send counters). */
    OutboundChannel socketChannel(int index) {
        return writers.get(writers.size() - sockets.size() + index);
    }

    /** The local address of each socket, in socket index order (the order of {@link LoopCounters#socket}). */
    public List<InetSocketAddress> socketAddresses() {
        return sockets.stream().map(UdpSocket::localAddress).toList();
    }

    /**
     * How full the loop's queues are now, from any thread without locks: {@code device_in}, {@code udp_in},
     * {@code device_out}, {@code udp_out} and {@code commands}, in that order (see {@link QueueDepth}).
     * With {@link EventLoopConfig#withStateThreadIo()}, {@code udp_in} is 0 of 0: the state thread reads the
     * sockets into its own batch and handles it before the next read, so no read batch ever waits.
     */
    public List<QueueDepth> queueDepths() {
        return List.of(inputDepth("device_in", true), inputDepth("udp_in", false),
                outputDepth("device_out", true), outputDepth("udp_out", false),
                new QueueDepth("commands", commands.size(), config.commandCapacity()));
    }

    private QueueDepth inputDepth(String name, boolean device) {
        int used = 0, sources = 0;
        for (SourceReader reader : readers) {
            if (reader instanceof DeviceReader == device) {
                used += reader.queuedBatches();
                sources++;
            }
        }
        return new QueueDepth(name, used, sources * config.readBatchesPerSource());
    }

    private QueueDepth outputDepth(String name, boolean device) {
        int used = 0, channels = 0;
        for (OutboundChannel writer : writers) {
            if (writer instanceof DeviceWriter == device) {
                used += writer.batchesInUse();
                channels++;
            }
        }
        return new QueueDepth(name, used, channels * config.writeBatchesPerChannel());
    }

    /**
     * Graceful stop: stops reading, lets the driver say goodbye, flushes outbound for at most the
     * configured flush time, releases every pooled buffer the loop holds and closes the device, the
     * sockets and the poller. In embedded mode, call it on the thread that ran {@link #invoke()}, once
     * it stopped invoking. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        running = false;
        readers.forEach(SourceReader::stop);
        joinAll(ioThreads.subList(0, started ? readers.size() : 0), READER_JOIN_MS);
        if (stateThread != null) {
            stateSignal.wake();
            joinAll(List.of(stateThread), READER_JOIN_MS);
        } else if (started) {
            cycle.stop();
        }
        readers.forEach(SourceReader::releaseIdleBatches);
        cycle.releaseDirect();
        long deadlineNs = System.nanoTime() + config.flushTimeoutNs();
        writers.forEach(writer -> writer.requestStop(deadlineNs));
        List<Thread> writerThreads = ioThreads.subList(started ? readers.size() : 0, ioThreads.size());
        joinAll(writerThreads, config.flushTimeoutNs() / 1_000_000 + 1);
        writers.forEach(OutboundChannel::interruptWait);
        joinAll(writerThreads, 1_000);
        writers.forEach(OutboundChannel::releaseAll);
        registrations.forEach(EpollPoller.Registration::deregister);
        poller.close();
        if (stateEpoll != null) {
            stateEpoll.close();
        }
        if (device != null) {
            device.close();
        }
        sockets.forEach(UdpSocket::close);
        Logger.debug("event loop stopped: {} packets and datagrams discarded at stop", counters.discardedAtStop());
    }

    private void startIo() {
        if (started || closed) {
            throw new IllegalStateException(closed ? "event loop is closed" : "event loop already started");
        }
        started = true;
        running = true;
        for (int i = 0; i < readers.size(); i++) {
            ioThreads.add(Thread.ofVirtual().name(ioName("read", readers.get(i), i)).start(readers.get(i)));
        }
        for (int i = 0; i < writers.size(); i++) {
            ioThreads.add(Thread.ofVirtual().name(ioName("write", writers.get(i), i)).start(writers.get(i)));
        }
    }

    private void runStateThread() {
        cycle.start();
        try {
            while (running) {
                cycle.idle(cycle.doWork());
            }
        } catch (Error e) {
            Logger.error(e, "state machine thread failed; the gateway stops forwarding");
            throw e;
        } finally {
            cycle.stop();
        }
    }

    private static String ioName(String verb, Object io, int i) {
        return "zonegate-" + (io instanceof DeviceReader || io instanceof DeviceWriter ? "tun-" : "udp-") + verb + "-" + i;
    }

    private static void joinAll(List<Thread> threads, long timeoutMs) {
        long deadlineNs = System.nanoTime() + timeoutMs * 1_000_000;
        for (Thread thread : threads) {
            try {
                thread.join(Math.max(1, (deadlineNs - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static <T> List<T> concat(List<? extends T> a, List<? extends T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
