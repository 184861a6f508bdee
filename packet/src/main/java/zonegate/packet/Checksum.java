package zonegate.packet;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import zonegate.packet.internal.Bytes;

/**
 * The Internet checksum (RFC 1071): full computation over a buffer region, pseudo-header sums for
 * IPv4 and IPv6, and incremental update (RFC 1624, equation 3: {@code HC' = ~(~HC + ~m + m')}).
 *
 * <p>Vocabulary: a <em>sum</em> is the folded 16-bit one's complement sum of some 16-bit words
 * ({@code 0..0xFFFF}); a <em>checksum</em> is the one's complement of the sum of everything it covers
 * (with the checksum field itself counted as zero). All methods are static, pure and allocation-free.
 *
 * <pre>{@code
 * int checksum = Checksum.compute(buffer, headerOffset, 20);            // full
 * int updated  = Checksum.update16(checksum, oldTtlWord, newTtlWord);  // incremental
 * }</pre>
 */
public final class Checksum {
    private static final VarHandle NATIVE_LONG = MethodHandles.byteBufferViewVarHandle(long[].class,
            ByteOrder.nativeOrder());
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private Checksum() {
    }

    /**
     * One's complement sum of {@code lengthBytes} bytes starting at the absolute index {@code offset},
     * taken as big-endian 16-bit words (a trailing odd byte is padded with zero, RFC 1071 section 4.1).
     *
     * @return the folded sum, {@code 0..0xFFFF}
     */
    public static int sum(ByteBuffer buffer, int offset, int lengthBytes) {
        long acc = 0;
        int i = offset;
        int end = offset + lengthBytes;
        if (lengthBytes >= 32) {
            // The bulk of a payload: 32 bytes a step in the machine's byte order (no byte swaps) into four
            // independent accumulators. A one's complement sum is independent of byte order up to swapping
            // the bytes of the folded result (RFC 1071 section 2 (B)), and the step keeps the words aligned.
            long a0 = 0, a1 = 0, a2 = 0, a3 = 0;
            for (; end - i >= 32; i += 32) {
                long a = (long) NATIVE_LONG.get(buffer, i);
                long b = (long) NATIVE_LONG.get(buffer, i + 8);
                long c = (long) NATIVE_LONG.get(buffer, i + 16);
                long d = (long) NATIVE_LONG.get(buffer, i + 24);
                a0 += (a >>> 32) + (a & 0xFFFF_FFFFL);
                a1 += (b >>> 32) + (b & 0xFFFF_FFFFL);
                a2 += (c >>> 32) + (c & 0xFFFF_FFFFL);
                a3 += (d >>> 32) + (d & 0xFFFF_FFFFL);
            }
            int bulk = fold(a0 + a1 + a2 + a3);
            acc = LITTLE_ENDIAN ? Integer.reverseBytes(bulk) >>> 16 : bulk;
        }
        while (end - i >= 8) {
            long v = Bytes.i64(buffer, i);
            acc += (v >>> 32) + (v & 0xFFFF_FFFFL);
            i += 8;
        }
        if (end - i >= 4) {
            acc += Bytes.i32(buffer, i) & 0xFFFF_FFFFL;
            i += 4;
        }
        if (end - i >= 2) {
            acc += Bytes.u16(buffer, i);
            i += 2;
        }
        if (end - i == 1) {
            acc += Bytes.u8(buffer, i) << 8;
        }
        return fold(acc);
    }

    /** The checksum of a region whose checksum field is zero (or absent): {@code ~sum & 0xFFFF}. */
    public static int compute(ByteBuffer buffer, int offset, int lengthBytes) {
        return ~sum(buffer, offset, lengthBytes) & 0xFFFF;
    }

    /**
     * The checksum of a region, counting the 16-bit field at absolute index {@code fieldIndex} as zero
     * without modifying the buffer. {@code fieldIndex - offset} must be even.
     */
    public static int computeSkipping(ByteBuffer buffer, int offset, int lengthBytes, int fieldIndex, int initialSum) {
        int before = fieldIndex - offset;
        int s = add(initialSum, sum(buffer, offset, before));
        s = add(s, sum(buffer, fieldIndex + 2, lengthBytes - before - 2));
        return ~s & 0xFFFF;
    }

    /** One's complement addition of two sums (end-around carry). */
    public static int add(int sumA, int sumB) {
        return fold((long) sumA + sumB);
    }

    /** Folds a wide accumulator of 16-bit words into a 16-bit one's complement sum. */
    public static int fold(long accumulator) {
        long acc = (accumulator & 0xFFFF_FFFFL) + (accumulator >>> 32);
        acc = (acc & 0xFFFF) + (acc >>> 16);
        return fold18((int) acc);
    }

    /**
     * {@link #fold} for {@code 0 <= acc < 2^18}, without a loop: two end-around-carry steps always
     * suffice below that bound, and each step preserves both "non-zero" and the value mod 0xFFFF, so the
     * result equals the looping fold's.
     */
    static int fold18(int acc) {
        int a = (acc & 0xFFFF) + (acc >>> 16);
        return (a & 0xFFFF) + (a >>> 16);
    }

    /** Sum of the two 16-bit halves of a 32-bit value (an IPv4 address, a sequence number). */
    public static int sum32(int value) {
        return fold18((value >>> 16) + (value & 0xFFFF));
    }

    /** Sum of the four 16-bit quarters of a 64-bit value (half an IPv6 address). */
    public static int sum64(long value) {
        return fold18((int) (value >>> 48) + ((int) (value >>> 32) & 0xFFFF) + ((int) value >>> 16) + ((int) value & 0xFFFF));
    }

    /**
     * Sum of the IPv4 pseudo-header (RFC 793 section 3.1, RFC 768): source, destination, zero byte,
     * protocol and the upper-layer length in bytes.
     */
    public static int pseudoHeaderSum4(int source, int destination, int protocol, int upperLayerLengthBytes) {
        return fold((long) sum32(source) + sum32(destination) + protocol + upperLayerLengthBytes);
    }

    /**
     * Sum of the IPv6 pseudo-header (RFC 8200 section 8.1): both 128-bit addresses (as high and low
     * 64-bit halves), the 32-bit upper-layer length in bytes and the next-header value.
     */
    public static int pseudoHeaderSum6(long sourceHigh, long sourceLow, long destinationHigh, long destinationLow,
                                       int protocol, int upperLayerLengthBytes) {
        return fold((long) sum64(sourceHigh) + sum64(sourceLow) + sum64(destinationHigh) + sum64(destinationLow)
                + (upperLayerLengthBytes >>> 16) + (upperLayerLengthBytes & 0xFFFF) + protocol);
    }

    /**
     * RFC 1624 equation 3 for one 16-bit word: the new checksum after a covered word changed from
     * {@code oldWord} to {@code newWord}.
     */
    public static int update16(int checksum, int oldWord, int newWord) {
        return update(checksum, oldWord, newWord);
    }

    /**
     * RFC 1624 equation 3 for many words at once: {@code oldSum} and {@code newSum} are the sums of the
     * covered words before and after the change ({@code ~m} of several words is the complement of their
     * sum).
     */
    public static int update(int checksum, int oldSum, int newSum) {
        return ~fold18((~checksum & 0xFFFF) + (~oldSum & 0xFFFF) + (newSum & 0xFFFF)) & 0xFFFF;
    }
}
