package zonegate.nat64.internal;

import java.nio.ByteBuffer;
import zonegate.packet.Checksum;
import zonegate.packet.internal.Bytes;

/** RFC 1624 fix-ups of a transport checksum already copied into the output buffer. */
final class ChecksumFix {
    private ChecksumFix() {
    }

    /**
     * Folds a change of covered words (sum {@code oldSum} became {@code newSum}) into the checksum at
     * absolute index {@code at}. With {@code zeroMeansAbsent} (UDP) a zero checksum stays zero and a
     * zero result is written as 0xFFFF (RFC 768).
     */
    static void adjust(ByteBuffer out, int at, int oldSum, int newSum, boolean zeroMeansAbsent) {
        int current = Bytes.u16(out, at);
        if (zeroMeansAbsent && current == 0) {
            return;
        }
        int updated = Checksum.update(current, oldSum, newSum);
        Bytes.put16(out, at, zeroMeansAbsent && updated == 0 ? 0xFFFF : updated);
    }

    /** Sum of two IPv6 addresses, as the pseudo-header counts them. */
    static int addressSum6(long sourceHigh, long sourceLow, long destinationHigh, long destinationLow) {
        return Checksum.fold((long) Checksum.sum64(sourceHigh) + Checksum.sum64(sourceLow)
                + Checksum.sum64(destinationHigh) + Checksum.sum64(destinationLow));
    }

    /** Sum of two IPv4 addresses, as the pseudo-header counts them. */
    static int addressSum4(int source, int destination) {
        return Checksum.add(Checksum.sum32(source), Checksum.sum32(destination));
    }
}
