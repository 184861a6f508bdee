package zonegate.app.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The repository's example files, found from the module's working directory. Commands read a copy
 * whose key file is private (mode 600), as the gateway requires and as a clone does not keep.
 */
final class Examples {
    private static Path copy;

    private Examples() {}

    static synchronized Path gatewayJson() {
        if (copy == null) {
            copy = privateCopy(original());
        }
        return copy;
    }

    /** Writes {@code text} to {@code path} readable by its owner only, like {@code umask 077}. */
    static Path writePrivate(Path path, String text) throws IOException {
        Files.writeString(path, text);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        return path;
    }

    private static Path privateCopy(Path json) {
        try {
            Path directory = Files.createTempDirectory("zonegate-examples");
            directory.toFile().deleteOnExit();
            Path key = writePrivate(directory.resolve("gateway.key"),
                    Files.readString(json.resolveSibling("gateway.key")));
            key.toFile().deleteOnExit();
            Path copied = Files.copy(json, directory.resolve("gateway.json"));
            copied.toFile().deleteOnExit();
            return copied;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path original() {
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
