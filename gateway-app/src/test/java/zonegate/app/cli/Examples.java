package zonegate.app.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's example files, found from the module's working directory. */
final class Examples {
    private Examples() {}

    static Path gatewayJson() {
        Path here = Path.of("").toAbsolutePath();
        for (Path dir = here; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("examples/gateway.json");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("examples/gateway.json not found above " + here);
    }
}
