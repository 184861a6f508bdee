package zonegate.shell.io;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import org.tinylog.Logger;

/**
 * Readiness for non-blocking fds, for virtual threads: one platform thread sits in {@code epoll_wait}
 * and unparks the virtual threads that asked to be woken when their fd is readable or writable.
 *
 * <p>Why: a virtual thread blocked in a native {@code read} pins its carrier on JDK 25 (measured: two
 * blocked TUN readers starved every other virtual thread, DESIGN.md section 3). With this poller a
 * reader does its non-blocking syscall, and on EAGAIN calls {@link Registration#awaitReadable()}, which
 * arms a one-shot interest (EPOLLONESHOT, level-triggered: an fd that is already ready fires at once,
 * so no wake-up is lost) and parks; the carrier is free meanwhile.
 *
 * <p>Each fd has one {@link Registration} with at most one reader and one writer waiting. The bound
 * is {@code capacity} registrations. {@link #close()} wakes every waiter and stops the thread.
 *
 * <pre>{@code
 * try (EpollPoller poller = EpollPoller.start("zonegate-epoll", 64)) {
 *     EpollPoller.Registration registration = poller.register(queue.fd());
 *     while (running) {
 *         int n = queue.read(buffer);
 *         if (n == TunQueue.WOULD_BLOCK && !registration.awaitReadable()) {
 *             break;                                       // poller closed or fd deregistered
 *         }
 *     }
 * }
 * }</pre>
 */
public final class EpollPoller implements AutoCloseable {
    static final int EPOLLIN = 0x1;
    static final int EPOLLOUT = 0x4;
    static final int EPOLLERR = 0x8;
    static final int EPOLLHUP = 0x10;
    static final int EPOLLONESHOT = 1 << 30;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLL_CTL_DEL = 2;
    private static final int EPOLL_CTL_MOD = 3;
    private static final int CLOEXEC = 0x80000;
    private static final int MAX_EVENTS = 64;
    /** x86-64 packs struct epoll_event (12 bytes, data at 4); other architectures align it (16, data at 8). */
    private static final boolean PACKED = System.getProperty("os.arch").matches("amd64|x86_64");
    static final int EVENT_BYTES = PACKED ? 12 : 16;
    static final int DATA_OFFSET = PACKED ? 4 : 8;
    private static final int WAKE_SLOT = 0;

    private final int epollFd;
    private final int wakeFd;
    private final Arena arena = Arena.ofAuto();
    private final AtomicReferenceArray<Registration> slots;
    private final Thread thread;
    private volatile boolean closed;

    private EpollPoller(int epollFd, int wakeFd, int capacity, String threadName) {
        this.epollFd = epollFd;
        this.wakeFd = wakeFd;
        this.slots = new AtomicReferenceArray<>(capacity + 1);
        this.thread = Thread.ofPlatform().name(threadName).daemon().unstarted(this::run);
    }

    /**
     * Creates the epoll instance and starts its platform thread.
     *
     * @param capacity most fds registered at once
     */
    public static EpollPoller start(String threadName, int capacity) throws NativeIoException {
        MemorySegment errno = Libc.newErrnoSlot(Arena.ofAuto());
        int epollFd = Libc.epollCreate1(errno, CLOEXEC);
        if (epollFd < 0) {
            throw new NativeIoException("epoll_create1", Libc.errno(errno));
        }
        int wakeFd = Libc.eventfd(errno, 0, CLOEXEC | Libc.O_NONBLOCK);
        if (wakeFd < 0) {
            int e = Libc.errno(errno);
            Libc.close(errno, epollFd);
            throw new NativeIoException("eventfd", e);
        }
        EpollPoller poller = new EpollPoller(epollFd, wakeFd, capacity, threadName);
        MemorySegment event = poller.arena.allocate(EVENT_BYTES, 8);
        event.set(ValueLayout.JAVA_INT_UNALIGNED, 0, EPOLLIN);
        event.set(ValueLayout.JAVA_LONG_UNALIGNED, DATA_OFFSET, WAKE_SLOT);
        if (Libc.epollCtl(errno, epollFd, EPOLL_CTL_ADD, wakeFd, event) < 0) {
            int e = Libc.errno(errno);
            Libc.close(errno, wakeFd);
            Libc.close(errno, epollFd);
            throw new NativeIoException("epoll_ctl(ADD eventfd)", e);
        }
        poller.thread.start();
        return poller;
    }

    /**
     * Registers {@code fd} (not yet armed: interest is declared by the await calls).
     *
     * @throws IllegalStateException when {@code capacity} fds are registered or the poller is closed
     */
    public synchronized Registration register(int fd) {
        if (closed) {
            throw new IllegalStateException("epoll poller is closed");
        }
        for (int slot = 1; slot < slots.length(); slot++) {
            if (slots.get(slot) == null) {
                Registration registration = new Registration(fd, slot);
                slots.set(slot, registration);
                return registration;
            }
        }
        throw new IllegalStateException("epoll poller is full: " + (slots.length() - 1) + " fds registered");
    }

    public boolean isClosed() {
        return closed;
    }

    /** Stops the poller thread, wakes every waiter (their awaits return false) and closes the epoll fd. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        MemorySegment errno = Libc.newErrnoSlot(arena);
        MemorySegment one = arena.allocateFrom(ValueLayout.JAVA_LONG, 1L);
        Libc.write(errno, wakeFd, one.address(), 8);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        wakeAll();
        Libc.close(errno, wakeFd);
        Libc.close(errno, epollFd);
    }

    private void run() {
        MemorySegment errno = Libc.newErrnoSlot(arena);
        MemorySegment events = arena.allocate((long) MAX_EVENTS * EVENT_BYTES, 8);
        while (!closed) {
            int n = Libc.epollWait(errno, epollFd, events, MAX_EVENTS, -1);
            if (n < 0) {
                int e = Libc.errno(errno);
                if (e == Errno.EINTR) {
                    continue;
                }
                Logger.error("epoll_wait failed: {}; the poller stops and I/O threads are woken to fail", Errno.name(e));
                break;
            }
            for (int i = 0; i < n; i++) {
                long at = (long) i * EVENT_BYTES;
                int ready = events.get(ValueLayout.JAVA_INT_UNALIGNED, at);
                int slot = (int) events.get(ValueLayout.JAVA_LONG_UNALIGNED, at + DATA_OFFSET);
                Registration registration = slot == WAKE_SLOT ? null : slots.get(slot);
                if (registration != null) {
                    registration.onReady(ready);
                }
            }
        }
        closed = true;
        wakeAll();
    }

    private void wakeAll() {
        for (int slot = 1; slot < slots.length(); slot++) {
            Registration registration = slots.get(slot);
            if (registration != null) {
                registration.wakeWaiters();
            }
        }
    }

    /**
     * One fd's interest: at most one thread awaiting readability and one awaiting writability at a time.
     * The await calls may come from any thread, virtual or platform.
     */
    public final class Registration {
        private final int fd;
        private final int slot;
        private final MemorySegment event = arena.allocate(EVENT_BYTES, 8);
        private final MemorySegment errno = Libc.newErrnoSlot(arena);
        private volatile Thread reader;
        private volatile Thread writer;
        private boolean added;
        private boolean cancelled;

        private Registration(int fd, int slot) {
            this.fd = fd;
            this.slot = slot;
        }

        /**
         * Parks the calling thread until the fd is readable (or has an error), or {@link #wakeWaiters()}
         * is called. Then try the read again: readiness is a hint, EAGAIN may still come.
         *
         * @return false when the poller is closed or this registration cancelled: stop reading
         * @throws NativeIoException when epoll refuses the fd (EBADF after it was closed)
         */
        public boolean awaitReadable() throws NativeIoException {
            return await(true);
        }

        /** As {@link #awaitReadable()}, for writability (the socket or TUN queue has room again). */
        public boolean awaitWritable() throws NativeIoException {
            return await(false);
        }

        /** Unparks any waiting thread without readiness, so it can notice a stop flag. */
        public void wakeWaiters() {
            Thread r;
            Thread w;
            synchronized (this) {
                r = reader;
                w = writer;
                reader = null;
                writer = null;
            }
            LockSupport.unpark(r);
            LockSupport.unpark(w);
        }

        /** Removes the fd from the epoll set (call before closing the fd) and wakes its waiters. */
        public void deregister() {
            synchronized (this) {
                if (cancelled) {
                    return;
                }
                cancelled = true;
                if (added) {
                    Libc.epollCtl(errno, epollFd, EPOLL_CTL_DEL, fd, event);
                }
            }
            wakeWaiters();
            synchronized (EpollPoller.this) {
                slots.compareAndSet(slot, this, null);
            }
        }

        private boolean await(boolean read) throws NativeIoException {
            Thread me = Thread.currentThread();
            synchronized (this) {
                if (cancelled || closed) {
                    return false;
                }
                if (read) {
                    reader = me;
                } else {
                    writer = me;
                }
                arm();
            }
            while ((read ? reader : writer) == me && !closed) {
                LockSupport.park(this);
            }
            synchronized (this) {
                if (read && reader == me) {
                    reader = null;
                } else if (!read && writer == me) {
                    writer = null;
                }
                return !cancelled && !closed;
            }
        }

        /** Called with this registration's lock held. */
        private void arm() throws NativeIoException {
            int interest = (reader != null ? EPOLLIN : 0) | (writer != null ? EPOLLOUT : 0);
            if (interest == 0) {
                return;
            }
            event.set(ValueLayout.JAVA_INT_UNALIGNED, 0, interest | EPOLLONESHOT);
            event.set(ValueLayout.JAVA_LONG_UNALIGNED, DATA_OFFSET, slot);
            if (Libc.epollCtl(errno, epollFd, added ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, event) < 0) {
                int e = Libc.errno(errno);
                reader = null;
                writer = null;
                throw new NativeIoException("epoll_ctl(" + (added ? "MOD" : "ADD") + ", fd " + fd + ")", e);
            }
            added = true;
        }

        private void onReady(int ready) {
            Thread r = null;
            Thread w = null;
            synchronized (this) {
                boolean failed = (ready & (EPOLLERR | EPOLLHUP)) != 0;
                if (failed || (ready & EPOLLIN) != 0) {
                    r = reader;
                    reader = null;
                }
                if (failed || (ready & EPOLLOUT) != 0) {
                    w = writer;
                    writer = null;
                }
                Thread pendingReader = reader;
                Thread pendingWriter = writer;
                if (!cancelled && (pendingReader != null || pendingWriter != null)) {
                    try {
                        arm();
                    } catch (NativeIoException e) {
                        // Woken without readiness, the waiters retry their call and meet the fd's error there.
                        r = r != null ? r : pendingReader;
                        w = w != null ? w : pendingWriter;
                    }
                }
            }
            LockSupport.unpark(r);
            LockSupport.unpark(w);
        }
    }
}
