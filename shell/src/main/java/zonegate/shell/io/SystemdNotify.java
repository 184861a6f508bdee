package zonegate.shell.io;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;

/**
 * The service manager's notification protocol ({@code sd_notify(3)}) without libsystemd: state lines
 * such as {@code READY=1} sent as one datagram to the AF_UNIX datagram socket named by
 * {@code $NOTIFY_SOCKET}, through FFM. systemd sets that variable for {@code Type=notify} units, and
 * {@code $WATCHDOG_USEC} (with {@code $WATCHDOG_PID}) when the unit has {@code WatchdogSec=}.
 *
 * <p>Without {@code $NOTIFY_SOCKET} (a terminal, a container, a test) every method is a no-op that
 * returns false, so callers need not check {@link #enabled()} first. A socket path starting with
 * {@code @} is an abstract socket (Linux): the {@code @} becomes a leading NUL byte.
 *
 * <p>Failures are values: a send that fails returns false and is logged at WARN once, until a send
 * succeeds again (a broken notify socket means systemd will time the service out; the operator should
 * know why). Each send opens, uses and closes its own socket, as libsystemd does; that costs two extra
 * syscalls and is meant for state changes and a watchdog ping every few seconds, not for a data path.
 * Thread-safe: the start/stop thread and the event loop's thread may send concurrently.
 *
 * <pre>{@code
 * SystemdNotify notify = SystemdNotify.fromEnvironment();
 * ... start listening ...
 * notify.ready("listening on UDP 51820");
 * if (notify.watchdogIntervalNs() > 0) loop.setHeartbeat(notify.watchdogIntervalNs(), notify::watchdog);
 * ... on SIGTERM: notify.stopping(); close ...
 * }</pre>
 */
public final class SystemdNotify {
    /** The environment variable with the notification socket's path. */
    public static final String NOTIFY_SOCKET = "NOTIFY_SOCKET";
    /** The environment variable with the watchdog timeout in microseconds. */
    public static final String WATCHDOG_USEC = "WATCHDOG_USEC";
    /** The environment variable with the pid the watchdog timeout is meant for (absent: this process). */
    public static final String WATCHDOG_PID = "WATCHDOG_PID";

    /** sizeof(struct sockaddr_un): a 2-byte family and a 108-byte path (linux/un.h). */
    private static final int SOCKADDR_UN_BYTES = 110;
    private static final int SUN_PATH_OFFSET = 2;
    private static final int SUN_PATH_BYTES = 108;

    private static final SystemdNotify DISABLED = new SystemdNotify(null, 0);

    private final String socketPath;
    private final long watchdogIntervalNs;
    private volatile boolean failing;

    private SystemdNotify(String socketPath, long watchdogIntervalNs) {
        this.socketPath = socketPath;
        this.watchdogIntervalNs = watchdogIntervalNs;
    }

    /** From this process's environment ({@link System#getenv()}) and pid. */
    public static SystemdNotify fromEnvironment() {
        return of(System.getenv(), ProcessHandle.current().pid());
    }

    /**
     * From {@code environment}: enabled when {@value #NOTIFY_SOCKET} is a non-empty absolute path or
     * abstract name ({@code @...}) that fits a {@code sockaddr_un}; with a watchdog when
     * {@value #WATCHDOG_USEC} is a positive number and {@value #WATCHDOG_PID}, if present, is {@code pid}.
     * A malformed value disables that part, with a WARN.
     */
    public static SystemdNotify of(Map<String, String> environment, long pid) {
        Objects.requireNonNull(environment, "environment");
        String path = environment.get(NOTIFY_SOCKET);
        if (path == null || path.isEmpty()) {
            return DISABLED;
        }
        if (!(path.startsWith("/") || path.startsWith("@"))
                || path.getBytes(StandardCharsets.UTF_8).length >= SUN_PATH_BYTES) {
            Logger.warn("{}={} is not an absolute path or abstract socket name of at most {} bytes: not notifying"
                    + " the service manager", NOTIFY_SOCKET, path, SUN_PATH_BYTES - 1);
            return DISABLED;
        }
        return new SystemdNotify(path, watchdogIntervalNs(environment, pid));
    }

    /** A notifier that sends nothing. */
    public static SystemdNotify disabled() {
        return DISABLED;
    }

    /** Whether a notification socket was given. */
    public boolean enabled() {
        return socketPath != null;
    }

    /**
     * How often to send {@link #watchdog()}: half the unit's watchdog timeout, as sd_watchdog_enabled(3)
     * advises, in ns; 0 when the service manager asked for no watchdog.
     */
    public long watchdogIntervalNs() {
        return watchdogIntervalNs;
    }

    /** {@code READY=1} with a {@code STATUS=} line: start-up is finished (also after a reload). */
    public boolean ready(String status) {
        return send("READY=1\nSTATUS=" + oneLine(status));
    }

    /** {@code RELOADING=1}: a configuration reload started; follow it with {@link #ready}. */
    public boolean reloading() {
        return send("RELOADING=1");
    }

    /** {@code STOPPING=1}: a graceful stop started. */
    public boolean stopping() {
        return send("STOPPING=1");
    }

    /** {@code WATCHDOG=1}: the service is alive; a no-op returning false when no watchdog was asked for. */
    public boolean watchdog() {
        return watchdogIntervalNs > 0 && send("WATCHDOG=1");
    }

    /**
     * Sends {@code state} (newline-separated {@code KEY=VALUE} lines) as one datagram.
     *
     * @return whether the datagram was sent; false when disabled or the send failed
     */
    public boolean send(String state) {
        if (socketPath == null) {
            return false;
        }
        int errno = sendDatagram(socketPath, state.getBytes(StandardCharsets.UTF_8));
        if (errno != 0) {
            if (!failing) {
                failing = true;
                Logger.warn("cannot notify the service manager at {}={}: {}", NOTIFY_SOCKET, socketPath,
                        Errno.name(errno));
            }
            return false;
        }
        failing = false;
        return true;
    }

    @Override
    public String toString() {
        return socketPath == null ? "SystemdNotify[disabled]"
                : "SystemdNotify[" + socketPath + ", watchdog every " + watchdogIntervalNs + " ns]";
    }

    private static long watchdogIntervalNs(Map<String, String> environment, long pid) {
        String usec = environment.get(WATCHDOG_USEC);
        if (usec == null) {
            return 0;
        }
        String forPid = environment.get(WATCHDOG_PID);
        try {
            if (forPid != null && Long.parseLong(forPid.strip()) != pid) {
                return 0;
            }
            long timeoutUs = Long.parseLong(usec.strip());
            if (timeoutUs <= 0) {
                throw new NumberFormatException("not positive");
            }
            return TimeUnit.MICROSECONDS.toNanos(timeoutUs) / 2;
        } catch (NumberFormatException e) {
            Logger.warn("{}={} {}={} is not a watchdog timeout for this process: no watchdog pings", WATCHDOG_USEC,
                    usec, WATCHDOG_PID, forPid);
            return 0;
        }
    }

    private static String oneLine(String status) {
        return status.replace('\n', ' ');
    }

    /** Returns 0 or the errno of the failed call. */
    private static int sendDatagram(String path, byte[] message) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.newErrnoSlot(arena);
            int fd = Libc.socket(errno, Libc.AF_UNIX, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
            if (fd < 0) {
                return Libc.errno(errno);
            }
            try {
                MemorySegment address = arena.allocate(SOCKADDR_UN_BYTES);
                int addressBytes = fillAddress(address, path);
                MemorySegment data = arena.allocate(Math.max(1, message.length));
                MemorySegment.copy(message, 0, data, JAVA_BYTE, 0, message.length);
                long sent = Libc.sendto(errno, fd, data, message.length, 0, address, addressBytes);
                return sent < 0 ? Libc.errno(errno) : 0;
            } finally {
                Libc.close(errno, fd);
            }
        }
    }

    /**
     * Writes a {@code sockaddr_un} for {@code path} and returns its length: a filesystem path with its
     * NUL; an abstract name ({@code @name}) as a NUL and the name, without a trailing NUL (the length
     * delimits it, and a trailing NUL would be part of the name).
     */
    static int fillAddress(MemorySegment address, String path) {
        address.set(JAVA_SHORT, 0, (short) Libc.AF_UNIX);
        byte[] name = path.getBytes(StandardCharsets.UTF_8);
        boolean abstractName = name[0] == '@';
        if (abstractName) {
            name[0] = 0;
        }
        MemorySegment.copy(name, 0, address, JAVA_BYTE, SUN_PATH_OFFSET, name.length);
        if (!abstractName) {
            address.set(JAVA_BYTE, SUN_PATH_OFFSET + name.length, (byte) 0);
        }
        return SUN_PATH_OFFSET + name.length + (abstractName ? 0 : 1);
    }
}
