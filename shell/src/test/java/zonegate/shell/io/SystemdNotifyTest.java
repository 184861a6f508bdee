package zonegate.shell.io;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sd_notify against a notification socket of the test's own: an AF_UNIX datagram socket bound through
 * FFM (the JDK's channels do not do AF_UNIX datagrams), its address built here by hand as systemd builds
 * it, so an encoding mistake in {@link SystemdNotify} cannot cancel itself out.
 */
class SystemdNotifyTest {
    private static final long PID = 4242;

    @TempDir
    Path directory;

    private Receiver receiver;

    @AfterEach
    void closeReceiver() {
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void readySendsReadyAndStatusToAPathSocket() {
        String path = directory.resolve("notify").toString();
        receiver = Receiver.bind(path.getBytes(StandardCharsets.UTF_8), true);
        SystemdNotify notify = SystemdNotify.of(Map.of("NOTIFY_SOCKET", path), PID);

        boolean sent = notify.ready("listening on UDP 51820");

        assertThat(sent).isTrue();
        assertThat(receiver.receive()).isEqualTo("READY=1\nSTATUS=listening on UDP 51820");
    }

    @Test
    void anAtSignNamesAnAbstractSocket() {
        String name = "zonegate-test-" + Long.toHexString(new SplittableRandom(15).nextLong()) + "-" + ProcessHandle.current().pid();
        byte[] address = ("\0" + name).getBytes(StandardCharsets.UTF_8);
        receiver = Receiver.bind(address, false);
        SystemdNotify notify = SystemdNotify.of(Map.of("NOTIFY_SOCKET", "@" + name), PID);

        notify.stopping();

        assertThat(receiver.receive()).isEqualTo("STOPPING=1");
    }

    @Test
    void watchdogPingsEveryHalfOfTheWatchdogTimeout() {
        String path = directory.resolve("notify").toString();
        receiver = Receiver.bind(path.getBytes(StandardCharsets.UTF_8), true);
        SystemdNotify notify = SystemdNotify.of(Map.of("NOTIFY_SOCKET", path, "WATCHDOG_USEC", "20000000",
                "WATCHDOG_PID", Long.toString(PID)), PID);

        notify.watchdog();

        assertThat(notify.watchdogIntervalNs()).isEqualTo(TimeUnit.SECONDS.toNanos(10));
        assertThat(receiver.receive()).isEqualTo("WATCHDOG=1");
    }

    @Test
    void aWatchdogMeantForAnotherProcessIsIgnored() {
        SystemdNotify notify = SystemdNotify.of(Map.of("NOTIFY_SOCKET", "/run/none", "WATCHDOG_USEC", "20000000",
                "WATCHDOG_PID", "1"), PID);

        assertThat(notify.watchdogIntervalNs()).isZero();
        assertThat(notify.watchdog()).isFalse();
    }

    @Test
    void withoutNotifySocketNothingIsSent() {
        SystemdNotify notify = SystemdNotify.of(Map.of("WATCHDOG_USEC", "20000000"), PID);

        assertThat(notify.enabled()).isFalse();
        assertThat(notify.ready("up")).isFalse();
        assertThat(notify.watchdogIntervalNs()).isZero();
    }

    @Test
    void aMissingSocketIsAFailedSendNotAnException() {
        SystemdNotify notify = SystemdNotify.of(Map.of("NOTIFY_SOCKET", directory.resolve("absent").toString()), PID);

        assertThat(notify.enabled()).isTrue();
        assertThat(notify.send("READY=1")).isFalse();
    }

    @Test
    void aRelativeSocketPathDisablesNotification() {
        SystemdNotify notify = SystemdNotify.of(Map.of("NOTIFY_SOCKET", "relative/notify"), PID);

        assertThat(notify.enabled()).isFalse();
    }

    /** A bound AF_UNIX datagram socket that takes one datagram without waiting (sends to it are synchronous). */
    private record Receiver(Arena arena, MemorySegment errno, int fd) {
        static Receiver bind(byte[] sunPath, boolean withNul) {
            Arena arena = Arena.ofShared();
            MemorySegment errno = Libc.newErrnoSlot(arena);
            int fd = Libc.socket(errno, Libc.AF_UNIX, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
            assertThat(fd).as("socket(AF_UNIX, SOCK_DGRAM)").isNotNegative();
            MemorySegment address = arena.allocate(110);
            address.set(JAVA_SHORT, 0, (short) 1);
            MemorySegment.copy(sunPath, 0, address, JAVA_BYTE, 2, sunPath.length);
            int length = 2 + sunPath.length + (withNul ? 1 : 0);
            assertThat(Libc.bind(errno, fd, address, length)).as("bind: errno %d", Libc.errno(errno)).isZero();
            return new Receiver(arena, errno, fd);
        }

        String receive() {
            MemorySegment data = arena.allocate(4096);
            long bytes = Libc.recv(errno, fd, data, data.byteSize(), Libc.MSG_DONTWAIT);
            assertThat(bytes).as("recv: errno %d", Libc.errno(errno)).isPositive();
            return new String(data.asSlice(0, bytes).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
        }

        void close() {
            Libc.close(errno, fd);
            arena.close();
        }
    }
}
