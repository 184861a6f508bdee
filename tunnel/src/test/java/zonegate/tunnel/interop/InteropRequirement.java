package zonegate.tunnel.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Skips an interop test (an assumption) when a third-party peer is missing, unless
 * {@code ZG_INTEROP=required} (scripts/test as root, and CI): then the test fails instead of skipping.
 */
final class InteropRequirement {
    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final Path AIOICE = Path.of("/usr/lib/python3/dist-packages/aioice");
    static final Path TURNSERVER = Path.of("/usr/bin/turnserver");

    private InteropRequirement() {
    }

    static void require(Path path, String install) {
        if (Files.exists(path)) {
            return;
        }
        if ("required".equals(System.getenv("ZG_INTEROP"))) {
            fail("ZG_INTEROP=required but " + path + " is missing: " + install);
        }
        Assumptions.abort(path + " missing: " + install);
    }
}
