package zonegate.stun;

import static zonegate.stun.StunAttributeType.*;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import zonegate.stun.internal.AddressCodec;
import zonegate.stun.internal.Digests;
import zonegate.stun.internal.Wire;

/**
 * A parsed STUN message in place (RFC 8489 section 5), re-pointed by its {@link StunParser} at each
 * message instead of being allocated again.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |0 0|     STUN Message Type     |         Message Length        |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Magic Cookie                          |  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Transaction ID (96 bits)                  |  8
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Type                  |            Length             |  20: attributes,
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+      each padded
 * |                         Value (variable)                ....      to 4 bytes
 * </pre>
 *
 * <p>Attribute access is inherited from {@link StunAttributeReader}; this class adds the header, the
 * transport addresses and the integrity checks. Attributes after MESSAGE-INTEGRITY other than
 * MESSAGE-INTEGRITY-SHA256 and FINGERPRINT are not indexed, as RFC 8489 section 14.5 requires
 * receivers to ignore them. Getters returning {@link InetSocketAddress} allocate; the primitive
 * address getters ({@link #addressPort}, {@link #copyAddress}) do not.
 *
 * <p>Valid until the parser's next {@code parse}; not thread-safe.
 */
public final class StunMessageView extends StunAttributeReader {
    /** Header length in bytes. */
    public static final int HEADER_BYTES = 20;
    /** The magic cookie at bytes 4-7 (RFC 8489 section 5). */
    public static final int MAGIC_COOKIE = 0x2112A442;

    private final Digests digests;
    private final byte[] mac = new byte[32];

    StunMessageView(Digests digests) {
        this.digests = digests;
    }

    /** The buffer the message is in (not a copy). */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** Absolute index of the first header byte in {@link #buffer()}. */
    public int offset() {
        return offset;
    }

    /** Length of the whole message, header included, in bytes. */
    public int lengthBytes() {
        return length;
    }

    /** The 14-bit message type (see {@link StunMessageType}). */
    public int messageType() {
        return Wire.u16(buffer, offset);
    }

    /** The 12-bit method number (compare with {@link StunMethod#code()}). */
    public int methodCode() {
        return StunMessageType.method(messageType());
    }

    /** The method, or {@code null} if zonegate does not know it. */
    public StunMethod method() {
        return StunMethod.ofCode(methodCode());
    }

    /** The message class. */
    public StunClass messageClass() {
        return StunClass.ofType(messageType());
    }

    /** The first 32 bits of the transaction id. */
    public int transactionIdHigh() {
        return Wire.u32(buffer, offset + 8);
    }

    /** The last 64 bits of the transaction id. */
    public long transactionIdLow() {
        return Wire.u64(buffer, offset + 12);
    }

    /** Copies the 12-byte transaction id into {@code dst[dstOffset, dstOffset + 12)}. */
    public void copyTransactionId(byte[] dst, int dstOffset) {
        buffer.get(offset + 8, dst, dstOffset, 12);
    }

    // ---- addresses

    /** Address family of address attribute {@code index}: 1 IPv4, 2 IPv6, other values unknown. */
    public int addressFamily(int index) {
        return Wire.u8(buffer, values[index] + 1);
    }

    /** Port of address attribute {@code index}, un-XOR'ed for XOR-* types. */
    public int addressPort(int index) {
        return AddressCodec.port(buffer, values[index], isXorAddress(types[index]));
    }

    /**
     * Copies the address bytes of address attribute {@code index} (un-XOR'ed) into {@code dst}, which must
     * hold 16 bytes.
     *
     * @return 4 (IPv4), 16 (IPv6) or 0 (unknown family, nothing copied)
     */
    public int copyAddress(int index, byte[] dst) {
        int family = addressFamily(index);
        int length = family == AddressCodec.FAMILY_IPV4 ? 4 : family == AddressCodec.FAMILY_IPV6 ? 16 : 0;
        AddressCodec.copyAddress(buffer, offset, values[index], length, isXorAddress(types[index]), dst);
        return length;
    }

    /** The socket address in address attribute {@code index}, or {@code null} for an unknown family. */
    public InetSocketAddress addressAt(int index) {
        return AddressCodec.decode(buffer, offset, values[index], isXorAddress(types[index]));
    }

    /** The first attribute of address type {@code type} (XOR'ed or not), or {@code null}. */
    public InetSocketAddress address(int type) {
        int index = indexOf(type);
        return index < 0 ? null : addressAt(index);
    }

    /** XOR-MAPPED-ADDRESS, or {@code null}. */
    public InetSocketAddress xorMappedAddress() {
        return address(XOR_MAPPED_ADDRESS);
    }

    /** MAPPED-ADDRESS, or {@code null}. */
    public InetSocketAddress mappedAddress() {
        return address(MAPPED_ADDRESS);
    }

    /** The first XOR-PEER-ADDRESS, or {@code null} (iterate for CREATE-PERMISSION's list). */
    public InetSocketAddress xorPeerAddress() {
        return address(XOR_PEER_ADDRESS);
    }

    /** The first XOR-RELAYED-ADDRESS, or {@code null}. */
    public InetSocketAddress xorRelayedAddress() {
        return address(XOR_RELAYED_ADDRESS);
    }

    /** ALTERNATE-SERVER, or {@code null}. */
    public InetSocketAddress alternateServer() {
        return address(ALTERNATE_SERVER);
    }

    // ---- integrity and fingerprint

    /** Whether FINGERPRINT is present; if so the parser has already verified it. */
    public boolean hasFingerprint() {
        return fingerprintIndex >= 0;
    }

    /**
     * Checks MESSAGE-INTEGRITY (HMAC-SHA1, RFC 8489 section 14.5) with {@code key} (see
     * {@link StunCredentials}), in constant time. The key array is remembered by identity to skip
     * re-initialising the MAC: do not mutate it afterwards.
     */
    public IntegrityCheck verifyMessageIntegrity(byte[] key) {
        return verify(integrityIndex, false, key);
    }

    /** Checks MESSAGE-INTEGRITY-SHA256 (RFC 8489 section 14.6), truncated or not, in constant time. */
    public IntegrityCheck verifyMessageIntegritySha256(byte[] key) {
        return verify(integritySha256Index, true, key);
    }

    private IntegrityCheck verify(int index, boolean sha256, byte[] key) {
        if (index < 0) {
            return IntegrityCheck.ABSENT;
        }
        int attribute = values[index] - 4;
        // The length field covers everything up to the end of this attribute, as if it were last.
        int adjustedLength = attribute + 4 + lengths[index] - offset - HEADER_BYTES;
        digests.hmac(sha256, key, buffer, offset, attribute, adjustedLength, mac);
        return Digests.equalsConstantTime(mac, buffer, values[index], lengths[index])
                ? IntegrityCheck.VALID : IntegrityCheck.INVALID;
    }


}
