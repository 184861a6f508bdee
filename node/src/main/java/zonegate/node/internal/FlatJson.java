package zonegate.node.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict reader and writer for the one JSON shape the peer-to-peer control bodies use: a flat object
 * whose values are strings or arrays of strings. Anything else (numbers, nesting, duplicate keys,
 * trailing bytes, bad escapes, malformed UTF-8, more than {@value #MAX_KEYS} keys or {@value #MAX_ARRAY} array items)
 * is refused. Never throws on input: {@link #parse} returns null and {@link #error()} says why.
 */
public final class FlatJson {
    /** Most keys in an object. */
    public static final int MAX_KEYS = 16;
    /** Most items in an array. */
    public static final int MAX_ARRAY = 16;

    private final String text;
    private int at;
    private String error;

    private FlatJson(String text) {
        this.text = text;
    }

    /**
     * Parses UTF-8 {@code bytes}; values are {@link String} or {@code List<String>}.
     *
     * @param sink receives the reason on failure
     * @return the object's members in order, or null
     */
    public static Map<String, Object> parse(byte[] bytes, StringBuilder sink) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException malformed) {
            sink.append("not UTF-8");
            return null;
        }
        FlatJson reader = new FlatJson(text);
        Map<String, Object> result = reader.object();
        if (result != null) {
            reader.space();
            if (reader.at != reader.text.length()) {
                result = reader.fail("trailing bytes");
            }
        }
        if (result == null) {
            sink.append(reader.error);
        }
        return result;
    }

    /** Writes a flat object (no whitespace, the shortest escapes); values must be strings or lists of strings. */
    public static byte[] write(Map<String, ?> members) {
        StringBuilder out = new StringBuilder(128).append('{');
        boolean first = true;
        for (Map.Entry<String, ?> e : members.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            quote(out, e.getKey()).append(':');
            if (e.getValue() instanceof List<?> list) {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    quote(i == 0 ? out : out.append(','), (String) list.get(i));
                }
                out.append(']');
            } else {
                quote(out, (String) e.getValue());
            }
        }
        return out.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static StringBuilder quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    private Map<String, Object> object() {
        space();
        if (!take('{')) {
            return fail("expected an object");
        }
        Map<String, Object> members = new LinkedHashMap<>();
        space();
        if (take('}')) {
            return members;
        }
        do {
            space();
            String key = string();
            space();
            if (key == null || !take(':')) {
                return fail(key == null ? error : "expected ':'");
            }
            space();
            Object value = peek() == '[' ? array() : string();
            if (value == null) {
                return null;
            }
            if (members.put(key, value) != null || members.size() > MAX_KEYS) {
                return fail("duplicate key or too many keys");
            }
            space();
        } while (take(','));
        return take('}') ? members : fail("expected ',' or '}'");
    }

    private List<String> array() {
        take('[');
        List<String> items = new ArrayList<>();
        space();
        if (take(']')) {
            return items;
        }
        do {
            space();
            String item = string();
            if (item == null) {
                return null;
            }
            items.add(item);
            if (items.size() > MAX_ARRAY) {
                return fail("array too long");
            }
            space();
        } while (take(','));
        return take(']') ? items : fail("expected ',' or ']'");
    }

    private String string() {
        if (!take('"')) {
            return fail("expected a string");
        }
        StringBuilder s = new StringBuilder();
        while (at < text.length()) {
            char c = text.charAt(at++);
            if (c == '"') {
                return s.toString();
            }
            if (c < 0x20) {
                return fail("control character in a string");
            }
            if (c != '\\') {
                s.append(c);
                continue;
            }
            if (at >= text.length()) {
                break;
            }
            char e = text.charAt(at++);
            switch (e) {
                case '"', '\\', '/' -> s.append(e);
                case 'b' -> s.append('\b');
                case 'f' -> s.append('\f');
                case 'n' -> s.append('\n');
                case 'r' -> s.append('\r');
                case 't' -> s.append('\t');
                case 'u' -> {
                    int code = hex4();
                    if (code < 0 || Character.isSurrogate((char) code)) {
                        return fail("bad \\u escape");
                    }
                    s.append((char) code);
                }
                default -> {
                    return fail("bad escape");
                }
            }
        }
        return fail("unterminated string");
    }

    private int hex4() {
        if (at + 4 > text.length()) {
            return -1;
        }
        int code = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(text.charAt(at++), 16);
            if (d < 0) {
                return -1;
            }
            code = code * 16 + d;
        }
        return code;
    }

    private void space() {
        while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
    }

    private char peek() {
        return at < text.length() ? text.charAt(at) : 0;
    }

    private boolean take(char c) {
        if (peek() == c) {
            at++;
            return true;
        }
        return false;
    }

    private <T> T fail(String reason) {
        if (error == null) {
            error = reason + " at " + at;
        }
        return null;
    }
}
