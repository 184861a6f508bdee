package zonegate.shell.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Linux capabilities the gateway needs, checked once at start so a missing one fails with advice
 * instead of a bare EPERM from deep inside TUN set-up.
 */
public final class Capabilities {
    /** CAP_NET_ADMIN (linux/capability.h): create TUN devices, set addresses, routes and forced buffers. */
    public static final int CAP_NET_ADMIN = 12;

    private static final Path STATUS = Path.of("/proc/self/status");

    private Capabilities() {
    }

    /**
     * Fails unless this process has CAP_NET_ADMIN in its effective set.
     *
     * @throws IllegalStateException with what to do about it
     */
    public static void requireNetAdmin() {
        if (!hasNetAdmin()) {
            throw new IllegalStateException("zonegate gateway needs CAP_NET_ADMIN to create its TUN device: "
                    + "run as root or grant it with `setcap cap_net_admin+ep` on the java binary of the runtime "
                    + "image (bin/java), or start it with AmbientCapabilities=CAP_NET_ADMIN under systemd");
        }
    }

    /** Whether this process has CAP_NET_ADMIN in its effective set (CapEff of /proc/self/status). */
    public static boolean hasNetAdmin() {
        try {
            return hasCapability(Files.readString(STATUS), CAP_NET_ADMIN);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + STATUS + " to check capabilities", e);
        }
    }

    /** Whether the {@code CapEff:} line of a /proc/PID/status text has bit {@code capability} set. */
    static boolean hasCapability(String statusText, int capability) {
        for (String line : statusText.split("\n")) {
            if (line.startsWith("CapEff:")) {
                long effective = Long.parseUnsignedLong(line.substring("CapEff:".length()).strip(), 16);
                return (effective >>> capability & 1) != 0;
            }
        }
        return false;
    }
}
