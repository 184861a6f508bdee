package zonegate.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ChecksumTest {

    @Test
    void rfc1071ExampleSumsToDdf2() {
        // RFC 1071 section 3: bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2, checksum 220d.
        ByteBuffer b = ByteBuffer.wrap(TestPackets.hex("0001f203f4f5f6f7"));

        assertThat(Checksum.sum(b, 0, 8)).isEqualTo(0xDDF2);
        assertThat(Checksum.compute(b, 0, 8)).isEqualTo(0x220D);
    }

    @Test
    void knownIpv4HeaderHasChecksumB861() {
        // 192.168.0.1 -> 192.168.0.199, UDP, total length 0x73, DF, TTL 64: checksum 0xb861.
        ByteBuffer b = ByteBuffer.wrap(TestPackets.hex("45000073000040004011 b861 c0a80001c0a800c7"));

        assertThat(Checksum.computeSkipping(b, 0, 20, 10, 0)).isEqualTo(0xB861);
        assertThat(Checksum.sum(b, 0, 20)).isEqualTo(0xFFFF);
    }

    @Test
    void rfc1624ExampleGivesZeroNotFfff() {
        // RFC 1624 section 4: HC = 0xDD2F, m = 0x5555 becomes m' = 0x3285; eqn. 3 yields 0x0000.
        assertThat(Checksum.update16(0xDD2F, 0x5555, 0x3285)).isEqualTo(0x0000);
    }

    @Test
    void incrementalUpdateMatchesFullRecomputation() {
        ByteBuffer b = ByteBuffer.wrap(TestPackets.hex("45000073000040004011 0000 c0a80001c0a800c7"));
        b.putShort(10, (short) Checksum.compute(b, 0, 20));
        int before = b.getShort(10) & 0xFFFF;

        b.putShort(8, (short) 0x3F11);
        int incremental = Checksum.update16(before, 0x4011, 0x3F11);
        b.putShort(10, (short) 0);

        assertThat(incremental).isEqualTo(Checksum.compute(b, 0, 20));
    }

    @Test
    void oddLengthIsPaddedWithZero() {
        ByteBuffer b = ByteBuffer.wrap(new byte[] {0x01, 0x02, 0x03});

        assertThat(Checksum.sum(b, 0, 3)).isEqualTo(0x0102 + 0x0300);
    }

    @Test
    void longRegionsSumAsTheWordByWordReferenceAtEveryLengthAndOffset() {
        // Regions of 32 bytes and more take the wide path (native byte order, 32 bytes a step); the rest and
        // the tail the narrow one. Both buffer kinds, every offset mod 8, lengths across the step boundaries.
        java.util.Random random = new java.util.Random(1071);
        byte[] data = new byte[70_000];
        random.nextBytes(data);
        ByteBuffer heap = ByteBuffer.wrap(data);
        ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(0, data);
        for (int length : new int[] {31, 32, 33, 39, 40, 63, 64, 65, 1400, 1401, 1419, 65_535}) {
            for (int offset = 0; offset < 8; offset++) {
                int expected = TestPackets.refSum(data, offset, length, 0);
                assertThat(Checksum.sum(heap, offset, length)).as("heap %d at %d", length, offset).isEqualTo(expected);
                assertThat(Checksum.sum(direct, offset, length)).as("direct %d at %d", length, offset)
                        .isEqualTo(expected);
            }
        }
        byte[] ones = new byte[65_536];
        java.util.Arrays.fill(ones, (byte) 0xFF);
        assertThat(Checksum.sum(ByteBuffer.allocateDirect(ones.length).put(0, ones), 0, ones.length))
                .as("all ones, the largest accumulators").isEqualTo(TestPackets.refSum(ones, 0, ones.length, 0));
    }

    @Test
    void sumIsTheSameForHeapAndDirectBuffersAtAnyOffset() {
        byte[] data = TestPackets.hex("deadbeef0123456789abcdeffedcba98765432100f");
        ByteBuffer direct = ByteBuffer.allocateDirect(data.length + 3).put(3, data);

        assertThat(Checksum.sum(direct, 3, data.length)).isEqualTo(TestPackets.refSum(data, 0, data.length, 0));
    }

    @Test
    void pseudoHeaderSumsMatchTheWordsTheyStandFor() {
        // 10.0.0.1 -> 10.0.0.2, TCP, 20 bytes: 0x0a00 + 0x0001 + 0x0a00 + 0x0002 + 6 + 20
        assertThat(Checksum.pseudoHeaderSum4(0x0A000001, 0x0A000002, 6, 20)).isEqualTo(0x1400 + 3 + 26);
        // ::1 -> ::2, UDP, 8 bytes
        assertThat(Checksum.pseudoHeaderSum6(0, 1, 0, 2, 17, 8)).isEqualTo(3 + 17 + 8);
    }

    @Test
    void multiWordUpdateEqualsUpdatingWordByWord() {
        int checksum = 0x1234;
        int stepwise = Checksum.update16(Checksum.update16(checksum, 0x0A00, 0xC0A8), 0x0001, 0x0102);

        int atOnce = Checksum.update(checksum, Checksum.sum32(0x0A000001), Checksum.sum32(0xC0A80102));

        assertThat(atOnce).isEqualTo(stepwise);
    }
}
