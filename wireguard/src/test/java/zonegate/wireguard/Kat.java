package zonegate.wireguard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The known-answer fixture made by {@code wireguard/src/test/python/wg_handshake_kat.py}. */
final class Kat {
    private static final String TEXT = load();

    private Kat() {}

    static byte[] hex(String key) {
        return HexFormat.of().parseHex(string(key));
    }

    static int index(String key) {
        return (int) Long.parseLong(string(key), 16);
    }

    static long number(String key) {
        Matcher m = Pattern.compile("\"" + key + "\":\\s*(\\d+)").matcher(TEXT);
        if (!m.find()) {
            throw new IllegalArgumentException(key);
        }
        return Long.parseLong(m.group(1));
    }

    private static String string(String key) {
        Matcher m = Pattern.compile("\"" + key + "\":\\s*\"([0-9a-f]*)\"").matcher(TEXT);
        if (!m.find()) {
            throw new IllegalArgumentException(key);
        }
        return m.group(1);
    }

    private static String load() {
        try (InputStream in = Kat.class.getResourceAsStream("handshake-kat.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
