package zonegate.stun;

import static zonegate.stun.StunAttributeType.*;

import java.net.InetSocketAddress;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import zonegate.stun.internal.AddressCodec;
import zonegate.stun.internal.Digests;
import zonegate.stun.internal.Wire;

/**
 * Writes a STUN message (RFC 8489) straight into a caller's buffer: {@code begin}, add attributes,
 * then optionally MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT (in that order), then
 * {@link #finish()}. The header's length field is kept current after every attribute, and set as RFC
 * 8489 sections 14.5-14.7 require before each HMAC and CRC is computed.
 *
 * <pre>{@code
 * StunMessageWriter writer = new StunMessageWriter();        // one per state-machine thread
 * int length = writer.begin(buffer, 0, buffer.capacity(), StunMethod.BINDING.type(StunClass.REQUEST), txid)
 *         .addPriority(priority)
 *         .addIceControlling(tieBreaker)
 *         .addText(StunAttributeType.USERNAME, "remote:local")
 *         .addMessageIntegrity(key)
 *         .addFingerprint()
 *         .finish();
 * }</pre>
 *
 * <p>Values are padded to 4 bytes with zeros (RFC 8489 section 14), or with {@link #paddingByte(int)}.
 * Misuse is a programming error and throws: an attribute after FINGERPRINT, a message past the given
 * capacity ({@link BufferOverflowException}), a value too long for its field. Allocates nothing per
 * message except where a {@code String} must be encoded. Not thread-safe.
 */
public final class StunMessageWriter {
    private static final int MAX_BODY_BYTES = 0xFFFC;

    private final Digests digests = new Digests();
    private final byte[] mac = new byte[32];
    private ByteBuffer buffer;
    private int start;
    private int end;
    private int position;
    private boolean integrity;
    private boolean integritySha256;
    private boolean fingerprint;
    private byte padding;

    /** A writer; {@link #begin} it before use. */
    public StunMessageWriter() {
    }

    /**
     * Sets the byte used to pad values (default 0, as RFC 8489 requires). Only for reproducing RFC 5389
     * era messages such as RFC 5769's vectors, which pad with spaces.
     */
    public StunMessageWriter paddingByte(int value) {
        padding = (byte) value;
        return this;
    }

    /**
     * Starts a message of {@code messageType} at absolute index {@code offset}, which may grow to
     * {@code capacityBytes}.
     *
     * @param transactionId 12 bytes (from a {@code SecureRandom} for requests)
     */
    public StunMessageWriter begin(ByteBuffer buffer, int offset, int capacityBytes, int messageType,
            byte[] transactionId) {
        if (transactionId.length != 12) {
            throw new IllegalArgumentException("transaction id must be 12 bytes");
        }
        header(buffer, offset, capacityBytes, messageType);
        buffer.put(offset + 8, transactionId);
        return this;
    }

    /** Starts a message whose transaction id is {@code idHigh} (32 bits) then {@code idLow} (64 bits). */
    public StunMessageWriter begin(ByteBuffer buffer, int offset, int capacityBytes, int messageType, int idHigh,
            long idLow) {
        header(buffer, offset, capacityBytes, messageType);
        Wire.put32(buffer, offset + 8, idHigh);
        Wire.put64(buffer, offset + 12, idLow);
        return this;
    }

    /** Starts a {@code responseClass} response to {@code request}: same method, same transaction id. */
    public StunMessageWriter beginResponse(ByteBuffer buffer, int offset, int capacityBytes,
            StunMessageView request, StunClass responseClass) {
        return begin(buffer, offset, capacityBytes, StunMessageType.of(request.methodCode(), responseClass),
                request.transactionIdHigh(), request.transactionIdLow());
    }

    /**
     * Starts the 420 error response to {@code request} (RFC 8489 section 6.3.1.1): ERROR-CODE 420 and
     * UNKNOWN-ATTRIBUTES listing {@code types[0, count)} (from
     * {@link StunMessageView#unknownComprehensionRequired}). Add integrity and fingerprint as the
     * request's credentials require, then {@link #finish()}.
     */
    public StunMessageWriter beginUnknownAttributesError(ByteBuffer buffer, int offset, int capacityBytes,
            StunMessageView request, int[] types, int count) {
        return beginResponse(buffer, offset, capacityBytes, request, StunClass.ERROR_RESPONSE)
                .addErrorCode(420, "Unknown Attribute")
                .addUnknownAttributes(types, count);
    }

    /**
     * Reserves an attribute of {@code type} with a {@code valueLength}-byte value, writes its header and
     * padding, and returns the absolute index where the caller writes the value (e.g. encrypts DATA in
     * place).
     */
    public int reserve(int type, int valueLength) {
        checkOrder(type);
        int padded = Wire.padded(valueLength);
        int value = position + 4;
        if (valueLength < 0 || valueLength > 0xFFFF || value + padded > end
                || value + padded - start - StunMessageView.HEADER_BYTES > MAX_BODY_BYTES) {
            throw new BufferOverflowException();
        }
        Wire.put16(buffer, position, type);
        Wire.put16(buffer, position + 2, valueLength);
        for (int i = valueLength; i < padded; i++) {
            buffer.put(value + i, padding);
        }
        position = value + padded;
        setBodyLength(position - start - StunMessageView.HEADER_BYTES);
        return value;
    }

    /** Adds an attribute whose value is {@code value}. */
    public StunMessageWriter add(int type, byte[] value) {
        buffer.put(reserve(type, value.length), value);
        return this;
    }

    /** Adds an attribute whose value is {@code length} bytes at absolute index {@code offset} of {@code src}. */
    public StunMessageWriter add(int type, ByteBuffer src, int offset, int length) {
        buffer.put(reserve(type, length), src, offset, length);
        return this;
    }

    /** Adds a UTF-8 text attribute (USERNAME, REALM, NONCE, SOFTWARE, ...). */
    public StunMessageWriter addText(int type, String text) {
        return add(type, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Adds an attribute with an empty value (USE-CANDIDATE, DONT-FRAGMENT). */
    public StunMessageWriter addEmpty(int type) {
        reserve(type, 0);
        return this;
    }

    /** Adds a 32-bit value (LIFETIME, PRIORITY, ...). */
    public StunMessageWriter addU32(int type, int value) {
        Wire.put32(buffer, reserve(type, 4), value);
        return this;
    }

    /** Adds a 64-bit value (ICE-CONTROLLING, RESERVATION-TOKEN, ...). */
    public StunMessageWriter addU64(int type, long value) {
        Wire.put64(buffer, reserve(type, 8), value);
        return this;
    }

    /**
     * Adds an address attribute (MAPPED-ADDRESS, ALTERNATE-SERVER, XOR-MAPPED-ADDRESS, XOR-PEER-ADDRESS,
     * XOR-RELAYED-ADDRESS), XOR'ed with this message's cookie and transaction id for the XOR types.
     */
    public StunMessageWriter addAddress(int type, InetSocketAddress address) {
        if (!isAddress(type)) {
            throw new IllegalArgumentException("not an address attribute: " + type);
        }
        int value = reserve(type, AddressCodec.valueLength(address));
        AddressCodec.encode(buffer, start, value, address, isXorAddress(type));
        return this;
    }

    /** Adds ERROR-CODE {@code code} (300-699) with {@code reason} (RFC 8489 section 14.8). */
    public StunMessageWriter addErrorCode(int code, String reason) {
        return errorCode(ERROR_CODE, 0, code, reason);
    }

    /** Adds UNKNOWN-ATTRIBUTES listing {@code types[0, count)}. */
    public StunMessageWriter addUnknownAttributes(int[] types, int count) {
        int value = reserve(UNKNOWN_ATTRIBUTES, 2 * count);
        for (int i = 0; i < count; i++) {
            Wire.put16(buffer, value + 2 * i, types[i]);
        }
        return this;
    }

    /** Adds PASSWORD-ALGORITHM {@code algorithm} with no parameters. */
    public StunMessageWriter addPasswordAlgorithm(int algorithm) {
        Wire.put32(buffer, reserve(PASSWORD_ALGORITHM, 4), algorithm << 16);
        return this;
    }

    /** Adds PASSWORD-ALGORITHMS listing {@code algorithms}, none with parameters. */
    public StunMessageWriter addPasswordAlgorithms(int... algorithms) {
        int value = reserve(PASSWORD_ALGORITHMS, 4 * algorithms.length);
        for (int i = 0; i < algorithms.length; i++) {
            Wire.put32(buffer, value + 4 * i, algorithms[i] << 16);
        }
        return this;
    }

    /** Adds CHANNEL-NUMBER (0x4000-0x4FFF under RFC 8656, 0x4000-0x7FFF under RFC 5766). */
    public StunMessageWriter addChannelNumber(int channel) {
        return addU32(CHANNEL_NUMBER, channel << 16);
    }

    /** Adds LIFETIME in seconds. */
    public StunMessageWriter addLifetime(long lifetimeSeconds) {
        return addU32(LIFETIME, (int) lifetimeSeconds);
    }

    /** Adds REQUESTED-TRANSPORT with IP protocol number {@code protocol} (17 = UDP). */
    public StunMessageWriter addRequestedTransport(int protocol) {
        return addU32(REQUESTED_TRANSPORT, protocol << 24);
    }

    /** Adds REQUESTED-ADDRESS-FAMILY (1 IPv4, 2 IPv6). */
    public StunMessageWriter addRequestedAddressFamily(int family) {
        return addU32(REQUESTED_ADDRESS_FAMILY, family << 24);
    }

    /** Adds ADDITIONAL-ADDRESS-FAMILY (2 IPv6, the only valid value). */
    public StunMessageWriter addAdditionalAddressFamily(int family) {
        return addU32(ADDITIONAL_ADDRESS_FAMILY, family << 24);
    }

    /** Adds EVEN-PORT, with its R bit set when {@code reserveNextPort}. */
    public StunMessageWriter addEvenPort(boolean reserveNextPort) {
        Wire.put8(buffer, reserve(EVEN_PORT, 1), reserveNextPort ? 0x80 : 0);
        return this;
    }

    /** Adds DATA with {@code length} bytes at absolute index {@code offset} of {@code src}. */
    public StunMessageWriter addData(ByteBuffer src, int offset, int length) {
        return add(DATA, src, offset, length);
    }

    /** Adds ADDRESS-ERROR-CODE for {@code family} (RFC 8656 section 18.13). */
    public StunMessageWriter addAddressErrorCode(int family, int code, String reason) {
        return errorCode(ADDRESS_ERROR_CODE, family, code, reason);
    }

    /** Adds ICMP (RFC 8656 section 18.14) with the ICMP type, code and 32-bit error data. */
    public StunMessageWriter addIcmp(int icmpType, int icmpCode, int errorData) {
        int value = reserve(ICMP, 8);
        Wire.put32(buffer, value, ((icmpType & 0xFF) << 8) | (icmpCode & 0xFF));
        Wire.put32(buffer, value + 4, errorData);
        return this;
    }

    /** Adds PRIORITY (RFC 8445 section 7.1.1). */
    public StunMessageWriter addPriority(long priority) {
        return addU32(PRIORITY, (int) priority);
    }

    /** Adds USE-CANDIDATE. */
    public StunMessageWriter addUseCandidate() {
        return addEmpty(USE_CANDIDATE);
    }

    /** Adds ICE-CONTROLLED with {@code tieBreaker}. */
    public StunMessageWriter addIceControlled(long tieBreaker) {
        return addU64(ICE_CONTROLLED, tieBreaker);
    }

    /** Adds ICE-CONTROLLING with {@code tieBreaker}. */
    public StunMessageWriter addIceControlling(long tieBreaker) {
        return addU64(ICE_CONTROLLING, tieBreaker);
    }

    /**
     * Adds MESSAGE-INTEGRITY: HMAC-SHA1 with {@code key} over the message so far, with the length field
     * counting this attribute (RFC 8489 section 14.5). The key array is remembered by identity.
     */
    public StunMessageWriter addMessageIntegrity(byte[] key) {
        return integrity(MESSAGE_INTEGRITY, false, 20, key);
    }

    /** Adds MESSAGE-INTEGRITY-SHA256, untruncated (32 bytes), per RFC 8489 section 14.6. */
    public StunMessageWriter addMessageIntegritySha256(byte[] key) {
        return integrity(MESSAGE_INTEGRITY_SHA256, true, 32, key);
    }

    /**
     * Adds FINGERPRINT: CRC-32 of the message so far, length field counting this attribute, XOR
     * 0x5354554E (RFC 8489 section 14.7). Must be last.
     */
    public StunMessageWriter addFingerprint() {
        int attribute = position;
        int value = reserve(FINGERPRINT, 4);
        Wire.put32(buffer, value, digests.fingerprint(buffer, start, attribute - start));
        return this;
    }

    /** The message's total length in bytes, header included; the message is complete. */
    public int finish() {
        return position - start;
    }

    private void header(ByteBuffer buffer, int offset, int capacityBytes, int messageType) {
        Objects.checkFromIndexSize(offset, capacityBytes, buffer.capacity());
        if (capacityBytes < StunMessageView.HEADER_BYTES) {
            throw new BufferOverflowException();
        }
        this.buffer = buffer;
        this.start = offset;
        this.end = offset + capacityBytes;
        this.position = offset + StunMessageView.HEADER_BYTES;
        this.integrity = false;
        this.integritySha256 = false;
        this.fingerprint = false;
        Wire.put16(buffer, offset, messageType & 0x3FFF);
        setBodyLength(0);
        Wire.put32(buffer, offset + 4, StunMessageView.MAGIC_COOKIE);
    }

    private StunMessageWriter errorCode(int type, int family, int code, String reason) {
        if (code < 300 || code > 699) {
            throw new IllegalArgumentException("error code must be 300-699: " + code);
        }
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        int value = reserve(type, 4 + text.length);
        Wire.put32(buffer, value, (family << 24) | ((code / 100) << 8) | (code % 100));
        buffer.put(value + 4, text);
        return this;
    }

    private StunMessageWriter integrity(int type, boolean sha256, int macLength, byte[] key) {
        int attribute = position;
        int value = reserve(type, macLength);
        digests.hmac(sha256, key, buffer, start, attribute, value + macLength - start
                - StunMessageView.HEADER_BYTES, mac);
        buffer.put(value, mac, 0, macLength);
        return this;
    }

    // RFC 8489 section 14.5-14.7: MESSAGE-INTEGRITY, then MESSAGE-INTEGRITY-SHA256, then FINGERPRINT,
    // nothing after; the header must have been begun.
    private void checkOrder(int type) {
        if (buffer == null) {
            throw new IllegalStateException("begin a message first");
        }
        boolean allowed = switch (type) {
            case FINGERPRINT -> !fingerprint;
            case MESSAGE_INTEGRITY_SHA256 -> !fingerprint && !integritySha256;
            case MESSAGE_INTEGRITY -> !fingerprint && !integritySha256 && !integrity;
            default -> !fingerprint && !integritySha256 && !integrity;
        };
        if (!allowed) {
            throw new IllegalStateException(String.format(
                    "attribute 0x%04X after the integrity/fingerprint attributes", type));
        }
        switch (type) {
            case FINGERPRINT -> fingerprint = true;
            case MESSAGE_INTEGRITY_SHA256 -> integritySha256 = true;
            case MESSAGE_INTEGRITY -> integrity = true;
            default -> { }
        }
    }

    private void setBodyLength(int bodyLength) {
        Wire.put16(buffer, start + 2, bodyLength);
    }
}
