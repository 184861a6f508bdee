package zonegate.shell.io;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

/**
 * An epoll set that its owning thread waits on itself, for a thread that does its own non-blocking I/O
 * (the event loop's state thread in {@code EventLoopConfig.withStateThreadIo()}): fds are registered
 * level-triggered for readability under a caller's token, {@link #await} returns how many are ready and
 * {@link #readyToken} which, and any thread can {@link #wake()} the owner out of its wait through an
 * eventfd in the set.
 *
 * <p>Unlike {@link EpollPoller} there is no poller thread and no hand-off: the owner sleeps in
 * {@code epoll_wait} itself, so a datagram that arrives costs one wake-up, of the thread that handles it.
 * Level-triggered, so an fd the owner did not read to EAGAIN (a per-cycle drain limit) is reported again
 * by the next {@code await}. Timeouts have nanosecond resolution through {@code epoll_pwait2} where libc
 * has it, else they are rounded up to whole milliseconds (a deadline is never woken for early only
 * because of rounding).
 *
 * <p>Threading: {@link #add}, {@link #await} and {@link #readyToken} on the owner thread only (add may also
 * come before the owner starts); {@link #wake()} from any thread; {@link #close()} once the owner stopped.
 *
 * <pre>{@code
 * try (EpollSet set = EpollSet.open(sockets.size())) {
 *     for (int i = 0; i < sockets.size(); i++) set.add(sockets.get(i).fd(), i);
 *     int n = set.await(deadlineNs - System.nanoTime());     // 0: poll
 *     for (int k = 0; k < n; k++) drain(sockets.get(set.readyToken(k)));
 * }
 * }</pre>
 */
public final class EpollSet implements AutoCloseable {
    private static final int EPOLL_CTL_ADD = 1;
    private static final int CLOEXEC = 0x80000;
    private static final long WAKE_TOKEN = -1;
    private static final long MAX_WAIT_NS = TimeUnit.DAYS.toNanos(1);

    private final int epollFd;
    private final int wakeOnlyFd;
    private final int wakeFd;
    private final int capacity;
    private final MemorySegment errno;
    private final MemorySegment wakeErrno;
    private final MemorySegment events;
    private final MemorySegment event;
    private final MemorySegment timeout;
    private final MemorySegment counter;
    private final MemorySegment wakeValue;
    private final int[] ready;
    private int registered;
    private long wakeUps;
    private boolean closed;

    private EpollSet(int epollFd, int wakeOnlyFd, int wakeFd, int capacity, Arena arena) {
        this.epollFd = epollFd;
        this.wakeOnlyFd = wakeOnlyFd;
        this.wakeFd = wakeFd;
        this.capacity = capacity;
        this.errno = Libc.newErrnoSlot(arena);
        this.wakeErrno = Libc.newErrnoSlot(arena);
        this.events = arena.allocate((long) (capacity + 1) * EpollPoller.EVENT_BYTES, 8);
        this.event = arena.allocate(EpollPoller.EVENT_BYTES, 8);
        this.timeout = arena.allocate(16, 8);
        this.counter = arena.allocate(8, 8);
        this.wakeValue = arena.allocateFrom(ValueLayout.JAVA_LONG, 1L);
        this.ready = new int[capacity];
    }

    /**
     * Creates the epoll instance and its wake-up eventfd.
     *
     * @param capacity most fds {@link #add}ed, at least 1
     */
    public static EpollSet open(int capacity) throws NativeIoException {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        Arena arena = Arena.ofAuto();
        MemorySegment errno = Libc.newErrnoSlot(arena);
        int epollFd = Libc.epollCreate1(errno, CLOEXEC);
        if (epollFd < 0) {
            throw new NativeIoException("epoll_create1", Libc.errno(errno));
        }
        int wakeOnlyFd = Libc.epollCreate1(errno, CLOEXEC);
        if (wakeOnlyFd < 0) {
            int e = Libc.errno(errno);
            Libc.close(errno, epollFd);
            throw new NativeIoException("epoll_create1", e);
        }
        int wakeFd = Libc.eventfd(errno, 0, CLOEXEC | Libc.O_NONBLOCK);
        if (wakeFd < 0) {
            int e = Libc.errno(errno);
            Libc.close(errno, wakeOnlyFd);
            Libc.close(errno, epollFd);
            throw new NativeIoException("eventfd", e);
        }
        EpollSet set = new EpollSet(epollFd, wakeOnlyFd, wakeFd, capacity, arena);
        try {
            set.control(epollFd, wakeFd, WAKE_TOKEN);
            set.control(wakeOnlyFd, wakeFd, WAKE_TOKEN);
        } catch (NativeIoException e) {
            Libc.close(errno, wakeFd);
            Libc.close(errno, wakeOnlyFd);
            Libc.close(errno, epollFd);
            throw e;
        }
        return set;
    }

    /**
     * Registers {@code fd} for readability (level-triggered) under {@code token}.
     *
     * @param token what {@link #readyToken} reports for it, 0 or more
     * @throws IllegalStateException past {@code capacity} fds
     */
    public void add(int fd, int token) throws NativeIoException {
        if (token < 0) {
            throw new IllegalArgumentException("token must not be negative: " + token);
        }
        if (registered == capacity) {
            throw new IllegalStateException("epoll set is full: " + capacity + " fds registered");
        }
        control(epollFd, fd, token);
        registered++;
    }

    /**
     * Waits until a registered fd is readable, {@link #wake()} is called, or {@code timeoutNs} passed (0 or
     * less: does not wait). A wake-up is consumed here and is not reported as a ready fd.
     *
     * @return how many fds are ready (their tokens at {@link #readyToken} 0 to n - 1); 0 after a timeout or a
     *         wake-up alone, or when interrupted by a signal
     * @throws NativeIoException when epoll fails (EBADF after close)
     */
    public int await(long timeoutNs) throws NativeIoException {
        return collect(wait(epollFd, registered + 1, timeoutNs));
    }

    /**
     * As {@link #await} but ignoring the registered fds: waits only for a {@link #wake()} or the timeout (for
     * an owner that cannot take input now and waits for whoever frees room to say so).
     */
    public void awaitWakeUp(long timeoutNs) throws NativeIoException {
        collect(wait(wakeOnlyFd, 1, timeoutNs));
    }

    private int wait(int fd, int maxEvents, long timeoutNs) {
        if (timeoutNs <= 0) {
            return Libc.epollWait(errno, fd, events, maxEvents, 0);
        }
        long ns = Math.min(timeoutNs, MAX_WAIT_NS);
        if (Libc.hasEpollPwait2()) {
            timeout.set(ValueLayout.JAVA_LONG, 0, ns / 1_000_000_000L);
            timeout.set(ValueLayout.JAVA_LONG, 8, ns % 1_000_000_000L);
            return Libc.epollPwait2(errno, fd, events, maxEvents, timeout);
        }
        return Libc.epollWait(errno, fd, events, maxEvents, (int) ((ns + 999_999) / 1_000_000));
    }

    private int collect(int n) throws NativeIoException {
        if (n < 0) {
            int e = Libc.errno(errno);
            if (e == Errno.EINTR) {
                return 0;
            }
            throw new NativeIoException("epoll_wait", e);
        }
        int fds = 0;
        for (int i = 0; i < n; i++) {
            long token = events.get(ValueLayout.JAVA_LONG_UNALIGNED, (long) i * EpollPoller.EVENT_BYTES
                    + EpollPoller.DATA_OFFSET);
            if (token == WAKE_TOKEN) {
                wakeUps++;
                Libc.read(errno, wakeFd, counter.address(), 8);
            } else {
                ready[fds++] = (int) token;
            }
        }
        return fds;
    }

    /** The token of the {@code i}-th ready fd of the latest {@link #await}. */
    public int readyToken(int i) {
        return ready[i];
    }

    /**
     * Any thread: makes the owner's current or next {@link #await} return. One eventfd write (its errno slot
     * is shared by the callers and never read: a failed write can only mean the counter is already set).
     */
    public void wake() {
        Libc.write(wakeErrno, wakeFd, wakeValue.address(), 8);
    }

    /** Waits that a {@link #wake()} ended (or found pending). Owner thread. */
    public long wakeUps() {
        return wakeUps;
    }

    /** Closes the epoll fd and the eventfd (the registered fds stay open). Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Libc.close(errno, wakeFd);
        Libc.close(errno, wakeOnlyFd);
        Libc.close(errno, epollFd);
    }

    private void control(int set, int fd, long token) throws NativeIoException {
        event.set(ValueLayout.JAVA_INT_UNALIGNED, 0, EpollPoller.EPOLLIN);
        event.set(ValueLayout.JAVA_LONG_UNALIGNED, EpollPoller.DATA_OFFSET, token);
        if (Libc.epollCtl(errno, set, EPOLL_CTL_ADD, fd, event) < 0) {
            throw new NativeIoException("epoll_ctl(ADD, fd " + fd + ")", Libc.errno(errno));
        }
    }
}
