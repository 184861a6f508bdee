package zonegate.controlplane.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The messages of a server's frames, pure: checks each frame header before its payload is read
 * ({@link #admit}), then assembles text fragments up to a bound in characters and answers what the
 * connection must do ({@link #onFrame}). Binary messages and pongs are read and ignored.
 *
 * <p>The bound in bytes before a payload is read is three per character (the most UTF-8 takes for one
 * UTF-16 unit), so a frame whose length alone exceeds it fails without its payload being read; the exact
 * bound in characters is counted as bytes arrive. Not thread-safe: the reader's.
 */
public final class WsMessages {
    private static final int INITIAL_BUFFER_BYTES = 4096;

    /** What the connection does after a frame. */
    public sealed interface Result {
    }

    /** A whole, valid text message. */
    public record Text(String text) implements Result {
    }

    /** A ping: answer with a pong of the same payload. */
    public record Ping(byte[] payload) implements Result {
    }

    /** The server's close frame. */
    public record Close(int code, String reason) implements Result {
    }

    /** A text over the bound: close 1009. */
    public record Oversized() implements Result {
    }

    /** A protocol error: close with {@code code} (1002, or 1007 for invalid UTF-8). */
    public record Violation(int code, String reason) implements Result {
    }

    /** Nothing to do: a fragment, a pong, a binary message. */
    public record Nothing() implements Result {
    }

    private static final Nothing NOTHING = new Nothing();

    private final int maxChars;
    private final long maxBytes;
    private byte[] text = new byte[INITIAL_BUFFER_BYTES];
    private int textBytes;
    private int textChars;
    /** The opcode of the fragmented message in progress, or -1. */
    private int fragmented = -1;

    public WsMessages(int maxChars) {
        this.maxChars = maxChars;
        this.maxBytes = 3L * maxChars;
    }

    /** Before reading the payload of {@code header}: the result that ends the connection, or null to read it. */
    public Result admit(WsFrames.Header header) {
        String violation = WsFrames.violation(header);
        if (violation != null) {
            return new Violation(1002, violation);
        }
        int opcode = header.opcode();
        if (opcode == WsFrames.CONTINUATION && fragmented < 0) {
            return new Violation(1002, "a continuation frame outside a fragmented message");
        }
        if ((opcode == WsFrames.TEXT || opcode == WsFrames.BINARY) && fragmented >= 0) {
            return new Violation(1002, "a new message inside a fragmented one");
        }
        boolean inText = opcode == WsFrames.TEXT || opcode == WsFrames.CONTINUATION && fragmented == WsFrames.TEXT;
        long already = inText ? textBytes : 0;
        if (header.payloadLength() > maxBytes - already) {
            return new Oversized();
        }
        return null;
    }

    /** The payload of an admitted, unmasked frame {@code header}; {@code payload} is not kept. */
    public Result onFrame(WsFrames.Header header, byte[] payload) {
        switch (header.opcode()) {
            case WsFrames.PING -> {
                return new Ping(payload);
            }
            case WsFrames.CLOSE -> {
                return new Close(WsFrames.closeCode(payload), WsFrames.closeReason(payload));
            }
            case WsFrames.PONG -> {
                return NOTHING;
            }
            default -> {
                int opcode = header.opcode() == WsFrames.CONTINUATION ? fragmented : header.opcode();
                fragmented = header.fin() ? -1 : opcode;
                return opcode == WsFrames.TEXT ? onText(payload, header.fin()) : NOTHING;
            }
        }
    }

    private Result onText(byte[] payload, boolean fin) {
        textChars += utf16Units(payload);
        if (textChars > maxChars) {
            reset();
            fragmented = -1;
            return new Oversized();
        }
        if (fin && textBytes == 0) {
            return decode(payload, payload.length);
        }
        if (textBytes + payload.length > text.length) {
            text = Arrays.copyOf(text, (int) Math.min(maxBytes, Math.max(2L * text.length, textBytes + payload.length)));
        }
        System.arraycopy(payload, 0, text, textBytes, payload.length);
        textBytes += payload.length;
        if (!fin) {
            return NOTHING;
        }
        Result whole = decode(text, textBytes);
        reset();
        return whole;
    }

    private Result decode(byte[] bytes, int length) {
        textChars = 0;
        try {
            return new Text(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, 0, length)).toString());
        } catch (CharacterCodingException e) {
            return new Violation(1007, "a text message that is not UTF-8");
        }
    }

    private void reset() {
        textBytes = 0;
        textChars = 0;
        if (text.length > 16 * INITIAL_BUFFER_BYTES) {
            text = new byte[INITIAL_BUFFER_BYTES];
        }
    }

    /** The UTF-16 units that {@code bytes} decode to if valid: one per lead byte, two for a 4-byte sequence. */
    private static int utf16Units(byte[] bytes) {
        int units = 0;
        for (byte b : bytes) {
            if ((b & 0xc0) != 0x80) {
                units++;
            }
            if ((b & 0xf8) == 0xf0) {
                units++;
            }
        }
        return units;
    }
}
