package zonegate.stun;

import java.nio.ByteBuffer;
import java.util.HexFormat;

final class TestBytes {
    private TestBytes() {
    }

    static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replaceAll("\\s+", ""));
    }

    static ByteBuffer buffer(String text) {
        return ByteBuffer.wrap(hex(text));
    }

    static byte[] bytes(ByteBuffer buffer, int offset, int length) {
        byte[] out = new byte[length];
        buffer.get(offset, out);
        return out;
    }
}
