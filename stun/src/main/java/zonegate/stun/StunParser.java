package zonegate.stun;

import java.nio.ByteBuffer;
import java.util.Objects;
import zonegate.stun.internal.AttributeRules;
import zonegate.stun.internal.Digests;
import zonegate.stun.internal.Wire;

/**
 * Parses STUN messages (RFC 8489) into one reusable {@link StunMessageView}, never throwing on bad
 * bytes: the result is a {@link StunParseResult.Parsed} view or a {@link StunParseResult.Rejected}
 * reason.
 *
 * <pre>{@code
 * StunParser parser = new StunParser();          // one per state-machine thread
 * if (parser.parse(datagram, 0, datagram.limit()) instanceof StunParseResult.Parsed(StunMessageView m)
 *         && m.verifyMessageIntegrity(key) == IntegrityCheck.VALID) {
 *     InetSocketAddress mapped = m.xorMappedAddress();
 * }
 * }</pre>
 *
 * <p>Checks: first two bits 00, magic cookie, length a multiple of 4 and exactly the bytes given
 * (a UDP datagram carries one message; a stream framer passes each message's own length), every attribute
 * inside the message, the value length of every known attribute, at most
 * {@link StunAttributeReader#MAX_ATTRIBUTES} attributes, FINGERPRINT last and matching when present.
 * MESSAGE-INTEGRITY is not checked here: the key depends on the USERNAME and REALM, so the caller
 * verifies it with {@link StunMessageView#verifyMessageIntegrity}.
 *
 * <p>Allocates nothing per message. Not thread-safe.
 */
public final class StunParser {
    private final Digests digests = new Digests();
    private final StunMessageView view = new StunMessageView(digests);
    private final StunParseResult.Parsed parsed = new StunParseResult.Parsed(view);

    /** A parser with its own view. */
    public StunParser() {
    }

    /**
     * Parses the {@code lengthBytes} bytes at absolute index {@code offset} of {@code buffer} (heap or
     * direct, any byte order; its position and limit are not used or changed).
     *
     * @return the parser's reusable {@code Parsed} (valid until the next call) or a shared {@code Rejected}
     * @throws IndexOutOfBoundsException if the region is outside the buffer's limit (a caller bug)
     */
    public StunParseResult parse(ByteBuffer buffer, int offset, int lengthBytes) {
        Objects.checkFromIndexSize(offset, lengthBytes, buffer.limit());
        StunRejection rejection = index(buffer, offset, lengthBytes);
        return rejection == null ? parsed : StunParseResult.Rejected.of(rejection);
    }

    /** Whether the bytes start like a STUN message: 20 bytes, first two bits 00, the magic cookie. */
    public static boolean looksLikeStun(ByteBuffer buffer, int offset, int lengthBytes) {
        return lengthBytes >= StunMessageView.HEADER_BYTES
                && (Wire.u8(buffer, offset) & 0xC0) == 0
                && Wire.u32(buffer, offset + 4) == StunMessageView.MAGIC_COOKIE;
    }

    private StunRejection index(ByteBuffer buffer, int offset, int available) {
        if (available < StunMessageView.HEADER_BYTES) {
            return looksLikeStunPrefix(buffer, offset, available) ? StunRejection.TRUNCATED : StunRejection.NOT_STUN;
        }
        if (!looksLikeStun(buffer, offset, available)) {
            return StunRejection.NOT_STUN;
        }
        int bodyLength = Wire.u16(buffer, offset + 2);
        if (bodyLength % 4 != 0) {
            return StunRejection.BAD_LENGTH;
        }
        int end = offset + StunMessageView.HEADER_BYTES + bodyLength;
        if (end > offset + available) {
            return StunRejection.TRUNCATED;
        }
        if (end < offset + available) {
            return StunRejection.BAD_LENGTH;
        }
        StunMessageView v = view;
        v.buffer = buffer;
        v.offset = offset;
        v.length = available;
        v.count = 0;
        v.integrityIndex = -1;
        v.integritySha256Index = -1;
        v.fingerprintIndex = -1;
        int at = offset + StunMessageView.HEADER_BYTES;
        while (at < end) {
            if (v.fingerprintIndex >= 0) {
                return StunRejection.MISPLACED_FINGERPRINT;
            }
            if (end - at < 4) {
                return StunRejection.BAD_ATTRIBUTE_LENGTH;
            }
            int type = Wire.u16(buffer, at);
            int valueLength = Wire.u16(buffer, at + 2);
            int value = at + 4;
            if (valueLength > end - value || !AttributeRules.valid(type, buffer, value, valueLength)) {
                return StunRejection.BAD_ATTRIBUTE_LENGTH;
            }
            // The body length is a multiple of 4, so the padded value cannot pass the end.
            int next = value + Wire.padded(valueLength);
            if (indexed(type, v)) {
                if (v.count == StunAttributeReader.MAX_ATTRIBUTES) {
                    return StunRejection.TOO_MANY_ATTRIBUTES;
                }
                int i = v.count++;
                v.types[i] = type;
                v.values[i] = value;
                v.lengths[i] = valueLength;
                switch (type) {
                    case StunAttributeType.MESSAGE_INTEGRITY -> v.integrityIndex = i;
                    case StunAttributeType.MESSAGE_INTEGRITY_SHA256 -> v.integritySha256Index = i;
                    case StunAttributeType.FINGERPRINT -> v.fingerprintIndex = i;
                    default -> { }
                }
            }
            at = next;
        }
        if (v.fingerprintIndex >= 0) {
            int fingerprintAt = v.values[v.fingerprintIndex];
            int expected = digests.fingerprint(buffer, offset, fingerprintAt - 4 - offset);
            if (Wire.u32(buffer, fingerprintAt) != expected) {
                return StunRejection.BAD_FINGERPRINT;
            }
        }
        return null;
    }

    // RFC 8489 sections 14.5 and 14.6: after MESSAGE-INTEGRITY only MESSAGE-INTEGRITY-SHA256 and
    // FINGERPRINT count; after MESSAGE-INTEGRITY-SHA256 only FINGERPRINT. The rest is ignored.
    private static boolean indexed(int type, StunMessageView v) {
        if (v.integritySha256Index >= 0) {
            return type == StunAttributeType.FINGERPRINT;
        }
        if (v.integrityIndex >= 0) {
            return type == StunAttributeType.MESSAGE_INTEGRITY_SHA256 || type == StunAttributeType.FINGERPRINT;
        }
        return true;
    }

    private static boolean looksLikeStunPrefix(ByteBuffer buffer, int offset, int available) {
        if (available < 8 || (Wire.u8(buffer, offset) & 0xC0) != 0) {
            return false;
        }
        return Wire.u32(buffer, offset + 4) == StunMessageView.MAGIC_COOKIE;
    }
}
