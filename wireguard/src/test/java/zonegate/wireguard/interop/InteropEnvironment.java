package zonegate.wireguard.interop;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Decides whether interop tests with real peers in network namespaces can run here. They need root,
 * iproute2 and the peer's binaries. With {@code ZG_INTEROP=required} (scripts/test as root, and CI) a
 * missing piece fails the test; otherwise the test is skipped.
 */
final class InteropEnvironment {
    private InteropEnvironment() {}

    static void require(String... binaries) {
        String problem = problem(binaries);
        if (problem == null) {
            return;
        }
        if ("required".equals(System.getenv("ZG_INTEROP"))) {
            fail("interop test cannot run: " + problem + " (run scripts/install-test-deps as root)");
        }
        assumeTrue(false, "interop test skipped: " + problem);
    }

    private static String problem(String... binaries) {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "not root (network namespaces need CAP_NET_ADMIN)";
        }
        for (String binary : binaries) {
            if (!Files.isExecutable(Path.of(binary))) {
                return binary + " is not installed";
            }
        }
        return null;
    }
}
