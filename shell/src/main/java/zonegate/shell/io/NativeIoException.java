package zonegate.shell.io;

import java.io.IOException;

/**
 * A failed system call of the shell's native I/O: names the call, its subject (device, address, fd)
 * and the errno, symbolically, so an operator can act on the message alone, for example
 * {@code "ioctl(TUNSETIFF) on zg0 failed: EPERM (errno 1)"}.
 */
public final class NativeIoException extends IOException {
    private final String call;
    private final int errno;

    public NativeIoException(String call, int errno) {
        super(call + " failed: " + Errno.name(errno) + " (errno " + errno + ")");
        this.call = call;
        this.errno = errno;
    }

    public NativeIoException(String call, String detail) {
        super(call + " failed: " + detail);
        this.call = call;
        this.errno = 0;
    }

    /** The call and its subject, e.g. {@code "bind(127.0.0.1:0)"}. */
    public String call() {
        return call;
    }

    /** The errno the call left, or 0 when the failure was not an errno (a short reply, a bad value). */
    public int errno() {
        return errno;
    }

    /** {@link Errno#name} of {@link #errno()}. */
    public String errnoName() {
        return Errno.name(errno);
    }
}
