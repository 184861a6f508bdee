package zonegate.shell.io;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * Moves the calling thread into another network namespace ({@code setns(2)} with CLONE_NEWNET), for a
 * gateway that runs in a namespace made by {@code ip netns add} and for tests that must never touch
 * the machine's own interfaces.
 *
 * <p>Namespace membership is per thread on Linux: only the calling thread moves, so call this from a
 * dedicated platform thread (a virtual thread may change carriers, which would leave it behind).
 * Every fd that thread creates afterwards (TUN queues, sockets, netlink) belongs to that namespace and
 * stays there when used from other threads.
 */
public final class NetworkNamespace {
    private static final int CLONE_NEWNET = 0x40000000;

    private NetworkNamespace() {
    }

    /**
     * Enters the namespace bound at {@code path}, e.g. {@code /var/run/netns/zg}.
     *
     * @throws NativeIoException ENOENT for a missing namespace, EPERM without CAP_SYS_ADMIN
     * @throws IllegalStateException when called from a virtual thread
     */
    public static void enter(Path path) throws NativeIoException {
        if (Thread.currentThread().isVirtual()) {
            throw new IllegalStateException("a virtual thread cannot enter a network namespace: its carrier would");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.newErrnoSlot(arena);
            int fd = Libc.open(errno, arena.allocateFrom(path.toString()), Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
            if (fd < 0) {
                throw new NativeIoException("open(" + path + ")", Libc.errno(errno));
            }
            try {
                if (Libc.setns(errno, fd, CLONE_NEWNET) < 0) {
                    throw new NativeIoException("setns(" + path + ", CLONE_NEWNET)", Libc.errno(errno));
                }
            } finally {
                Libc.close(errno, fd);
            }
        }
    }
}
