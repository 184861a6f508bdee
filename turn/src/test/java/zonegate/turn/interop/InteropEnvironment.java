package zonegate.turn.interop;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Decides whether interop tests with real TURN peers on loopback can run here: they need the peer's
 * binaries (Debian package {@code coturn}), not root. With {@code ZG_INTEROP=required} (scripts/test and
 * CI) a missing binary fails the test; otherwise the test is skipped.
 */
final class InteropEnvironment {
    private InteropEnvironment() {
    }

    static void require(Path... binaries) {
        for (Path binary : binaries) {
            if (Files.isExecutable(binary)) {
                continue;
            }
            String problem = binary + " is not installed (apt-get install coturn)";
            if ("required".equals(System.getenv("ZG_INTEROP"))) {
                fail("interop test cannot run: " + problem + " (run scripts/install-test-deps as root)");
            }
            assumeTrue(false, "interop test skipped: " + problem);
        }
    }
}
