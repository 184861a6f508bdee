package zonegate.app.internal.controlplane;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads a key given either inline ({@code "privateKey": "..."}) or as a file reference
 * ({@code "privateKeyFile": "/etc/zonegate/gateway.key"}, relative paths against the configuration
 * file's directory; read by {@link KeyFile}, which refuses a file its group or others can read). Error
 * messages never contain key material.
 */
final class KeyMaterial {
    private KeyMaterial() {}

    /**
     * The key from member {@code inline} or {@code file} of {@code fields}: exactly one of them when
     * {@code required}, at most one otherwise. {@code parse} reads the key's ASCII base64 bytes.
     */
    static <K> Optional<K> read(Fields fields, String inline, String file, boolean required, Path baseDirectory,
            Function<byte[], K> parse) {
        boolean hasInline = fields.has(inline);
        boolean hasFile = fields.has(file);
        if (hasInline && hasFile) {
            fields.problems().error(fields.positionOf(file), fields.pathOf(file),
                    "give either \"" + inline + "\" or \"" + file + "\", not both");
            return Optional.empty();
        }
        if (hasInline) {
            return fields.string(inline).flatMap(text -> parseInline(fields, inline, text, parse));
        }
        if (hasFile) {
            return fields.string(file).flatMap(name -> switch (KeyFile.read(baseDirectory.resolve(name), parse)) {
                case KeyFile.Read.Key<K>(K key) -> Optional.of(key);
                case KeyFile.Read.Refused<K>(String reason) -> {
                    fields.problems().error(fields.positionOf(file), fields.pathOf(file), reason);
                    yield Optional.empty();
                }
            });
        }
        if (required) {
            fields.problems().error(fields.at(), fields.path(),
                    "missing required field \"" + file + "\" (or \"" + inline + "\")");
        }
        return Optional.empty();
    }

    private static <K> Optional<K> parseInline(Fields fields, String name, String text, Function<byte[], K> parse) {
        byte[] ascii = text.getBytes(StandardCharsets.US_ASCII);
        try {
            return Optional.of(parse.apply(ascii));
        } catch (IllegalArgumentException e) {
            fields.problems().error(fields.positionOf(name), fields.pathOf(name), e.getMessage());
            return Optional.empty();
        } finally {
            Arrays.fill(ascii, (byte) 0);
        }
    }
}
