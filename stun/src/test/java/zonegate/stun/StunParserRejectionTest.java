package zonegate.stun;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class StunParserRejectionTest {
    private static final String HEADER = "0001 %04x 2112a442 000102030405060708090a0b";

    private final StunParser parser = new StunParser();

    @Test
    void emptyBindingRequestParses() {
        assertThat(parse(String.format(HEADER, 0))).isInstanceOf(StunParseResult.Parsed.class);
    }

    @Test
    void bytesWithoutTheMagicCookieAreNotStun() {
        assertThat(parse("0001 0000 2112a443 000102030405060708090a0b")).isEqualTo(rejected(StunRejection.NOT_STUN));
    }

    @Test
    void firstTwoBitsSetAreNotStun() {
        assertThat(parse("4001 0000 2112a442 000102030405060708090a0b")).isEqualTo(rejected(StunRejection.NOT_STUN));
    }

    @Test
    void aHeaderCutShortAfterTheCookieIsTruncated() {
        assertThat(parse("0001 0000 2112a442 0001")).isEqualTo(rejected(StunRejection.TRUNCATED));
        assertThat(parse("0001")).isEqualTo(rejected(StunRejection.NOT_STUN));
    }

    @Test
    void aLengthBeyondTheDatagramIsTruncated() {
        assertThat(parse(String.format(HEADER, 12) + "80220004 41424344")).isEqualTo(rejected(StunRejection.TRUNCATED));
    }

    @Test
    void aLengthNotAMultipleOfFourIsBadLength() {
        assertThat(parse(String.format(HEADER, 6) + "80220002 4142")).isEqualTo(rejected(StunRejection.BAD_LENGTH));
    }

    @Test
    void bytesAfterTheMessageAreBadLength() {
        assertThat(parse(String.format(HEADER, 0) + "00000000")).isEqualTo(rejected(StunRejection.BAD_LENGTH));
    }

    @Test
    void anAttributeRunningPastTheMessageIsBadAttributeLength() {
        assertThat(parse(String.format(HEADER, 8) + "80220008 41424344"))
                .isEqualTo(rejected(StunRejection.BAD_ATTRIBUTE_LENGTH));
    }

    @Test
    void aKnownAttributeWithTheWrongLengthIsBadAttributeLength() {
        assertThat(parse(String.format(HEADER, 8) + "00240002 00010000"))
                .isEqualTo(rejected(StunRejection.BAD_ATTRIBUTE_LENGTH));
        assertThat(parse(String.format(HEADER, 12) + "00200008 00020000 01020304"))
                .as("IPv6 family with an IPv4 length").isEqualTo(rejected(StunRejection.BAD_ATTRIBUTE_LENGTH));
    }

    @Test
    void anAddressOfUnknownFamilyParsesButDecodesToNull() {
        StunParseResult result = parse(String.format(HEADER, 12) + "00120008 00030000 01020304");

        assertThat(result).isInstanceOfSatisfying(StunParseResult.Parsed.class, p -> {
            assertThat(p.message().addressFamily(0)).isEqualTo(3);
            assertThat(p.message().xorPeerAddress()).isNull();
            assertThat(p.message().copyAddress(0, new byte[16])).isZero();
        });
    }

    @Test
    void anAttributeAfterTheFingerprintIsMisplaced() {
        assertThat(parse(String.format(HEADER, 12) + "80280004 00000000 00250000"))
                .isEqualTo(rejected(StunRejection.MISPLACED_FINGERPRINT));
    }

    @Test
    void aWrongFingerprintIsBadFingerprint() {
        assertThat(parse(String.format(HEADER, 8) + "80280004 00000000"))
                .isEqualTo(rejected(StunRejection.BAD_FINGERPRINT));
    }

    @Test
    void moreThanTheMaximumAttributesAreTooMany() {
        int count = StunAttributeReader.MAX_ATTRIBUTES + 1;
        String body = "00250000".repeat(count);

        assertThat(parse(String.format(HEADER, 4 * count) + body))
                .isEqualTo(rejected(StunRejection.TOO_MANY_ATTRIBUTES));
    }

    @Test
    void attributesAfterMessageIntegrityAreIgnored() {
        String integrity = "00080014" + "00".repeat(20);

        StunParseResult result = parse(String.format(HEADER, 32) + integrity + "00250000 80220000");

        assertThat(result).isInstanceOfSatisfying(StunParseResult.Parsed.class, p -> {
            assertThat(p.message().attributeCount()).isEqualTo(1);
            assertThat(p.message().has(StunAttributeType.USE_CANDIDATE)).isFalse();
        });
    }

    @Test
    void parsesAtAnOffsetInADirectLittleEndianBuffer() {
        byte[] message = TestBytes.hex(String.format(HEADER, 8) + "00240004 6e0001ff");
        ByteBuffer buffer = ByteBuffer.allocateDirect(64).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        buffer.put(5, message);

        StunParseResult result = parser.parse(buffer, 5, message.length);

        assertThat(result).isInstanceOfSatisfying(StunParseResult.Parsed.class,
                p -> assertThat(p.message().priority()).isEqualTo(0x6e0001ffL));
    }

    private StunParseResult parse(String hex) {
        byte[] bytes = TestBytes.hex(hex);
        return parser.parse(ByteBuffer.wrap(bytes), 0, bytes.length);
    }

    private static StunParseResult rejected(StunRejection reason) {
        return StunParseResult.Rejected.of(reason);
    }
}
