package zonegate.app.internal.controlplane;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads a key given either inline ({@code "privateKey": "..."}) or as a file reference
 * ({@code "privateKeyFile": "/etc/zonegate/gateway.key"}, relative paths against the configuration
 * file's directory). Error messages never contain key material.
 */
final class KeyMaterial {
    /** A key file holds 44 base64 characters and a newline; anything much longer is not a key. */
    private static final int MAX_KEY_FILE_BYTES = 1024;

    private KeyMaterial() {}

    /**
     * The key from member {@code inline} or {@code file} of {@code fields}: exactly one of them when
     * {@code required}, at most one otherwise.
     */
    static <K> Optional<K> read(Fields fields, String inline, String file, boolean required, Path baseDirectory,
            Function<String, K> parse) {
        boolean hasInline = fields.has(inline);
        boolean hasFile = fields.has(file);
        if (hasInline && hasFile) {
            fields.problems().error(fields.positionOf(file), fields.pathOf(file),
                    "give either \"" + inline + "\" or \"" + file + "\", not both");
            return Optional.empty();
        }
        if (hasInline) {
            return fields.string(inline).flatMap(text -> parse(fields, inline, text, parse));
        }
        if (hasFile) {
            return fields.string(file).flatMap(name -> readFile(fields, file, baseDirectory.resolve(name)))
                    .flatMap(text -> parse(fields, file, text, parse));
        }
        if (required) {
            fields.problems().error(fields.at(), fields.path(),
                    "missing required field \"" + file + "\" (or \"" + inline + "\")");
        }
        return Optional.empty();
    }

    private static <K> Optional<K> parse(Fields fields, String name, String text, Function<String, K> parse) {
        try {
            return Optional.of(parse.apply(text));
        } catch (IllegalArgumentException e) {
            fields.problems().error(fields.positionOf(name), fields.pathOf(name), e.getMessage());
            return Optional.empty();
        }
    }

    private static Optional<String> readFile(Fields fields, String name, Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            byte[] bytes = in.readNBytes(MAX_KEY_FILE_BYTES + 1);
            if (bytes.length > MAX_KEY_FILE_BYTES) {
                fields.problems().error(fields.positionOf(name), fields.pathOf(name),
                        "key file " + path + " is larger than " + MAX_KEY_FILE_BYTES + " bytes; not a key");
                return Optional.empty();
            }
            return Optional.of(new String(bytes, StandardCharsets.US_ASCII));
        } catch (NoSuchFileException e) {
            fields.problems().error(fields.positionOf(name), fields.pathOf(name), "key file " + path + " does not exist");
        } catch (AccessDeniedException e) {
            fields.problems().error(fields.positionOf(name), fields.pathOf(name), "key file " + path + ": permission denied");
        } catch (IOException e) {
            fields.problems().error(fields.positionOf(name), fields.pathOf(name),
                    "cannot read key file " + path + ": " + e.getClass().getSimpleName());
        }
        return Optional.empty();
    }
}
