package zonegate.stun;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The four messages of RFC 5769 section 2: parsed, their MESSAGE-INTEGRITY and FINGERPRINT verified,
 * their attributes decoded, and re-encoded byte for byte. Vectors 2.1-2.3 pad with spaces (RFC 5389
 * allowed any padding), so the writer is set to pad with 0x20 to reproduce them.
 */
class Rfc5769VectorsTest {
    static final String SAMPLE_REQUEST = """
            00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
            80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74
            00 24 00 04 6e 00 01 ff
            80 29 00 08 93 2f f9 b1 51 26 3b 36
            00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20
            00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2
            80 28 00 04 e5 7a 3b cf""";
    static final String IPV4_RESPONSE = """
            01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
            80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
            00 20 00 08 00 01 a1 47 e1 12 a6 43
            00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7
            80 28 00 04 c0 7d 4c 96""";
    static final String IPV6_RESPONSE = """
            01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
            80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
            00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9
            00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41
            80 28 00 04 c8 fb 0b 4c""";
    static final String LONG_TERM_REQUEST = """
            00 01 00 60 21 12 a4 42 78 ad 34 33 c6 ad 72 c0 29 da 41 2e
            00 06 00 12 e3 83 9e e3 83 88 e3 83 aa e3 83 83 e3 82 af e3 82 b9 00 00
            00 15 00 1c 66 2f 2f 34 39 39 6b 39 35 34 64 36 4f 4c 33 34 6f 4c 39 46 53 54 76 79 36 34 73 41
            00 14 00 0b 65 78 61 6d 70 6c 65 2e 6f 72 67 00
            00 08 00 14 f6 70 24 65 6d d6 4a 3e 02 b8 e0 71 2e 85 c9 a2 8c a8 96 66""";

    private static final byte[] SHORT_TERM_KEY = StunCredentials.shortTermKey("VOkJxbRl1RmTxUk/WvJxBt");
    private static final byte[] TRANSACTION_ID = TestBytes.hex("b7 e7 a7 01 bc 34 d6 86 fa 87 df ae");
    private static final String USERNAME_MATRIX = "\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9";

    private final StunParser parser = new StunParser();
    private final StunMessageWriter writer = new StunMessageWriter();

    @Test
    void sampleRequestVerifiesWithShortTermCredentials() {
        StunMessageView message = parse(SAMPLE_REQUEST);

        assertThat(message.method()).isEqualTo(StunMethod.BINDING);
        assertThat(message.messageClass()).isEqualTo(StunClass.REQUEST);
        assertThat(message.hasFingerprint()).isTrue();
        assertThat(message.verifyMessageIntegrity(SHORT_TERM_KEY)).isEqualTo(IntegrityCheck.VALID);
        assertThat(message.software()).isEqualTo("STUN test client");
        assertThat(message.username()).isEqualTo("evtj:h6vY");
        assertThat(message.priority()).isEqualTo(0x6e0001ffL);
        assertThat(message.iceControlledTieBreaker()).isEqualTo(0x932ff9b151263b36L);
    }

    @Test
    void sampleRequestReEncodesToTheVectorBytes() {
        ByteBuffer out = ByteBuffer.allocate(256);
        int length = writer.paddingByte(0x20)
                .begin(out, 0, out.capacity(), StunMethod.BINDING.type(StunClass.REQUEST), TRANSACTION_ID)
                .addText(StunAttributeType.SOFTWARE, "STUN test client")
                .addPriority(0x6e0001ffL)
                .addIceControlled(0x932ff9b151263b36L)
                .addText(StunAttributeType.USERNAME, "evtj:h6vY")
                .addMessageIntegrity(SHORT_TERM_KEY)
                .addFingerprint()
                .finish();

        assertThat(TestBytes.bytes(out, 0, length)).isEqualTo(TestBytes.hex(SAMPLE_REQUEST));
    }

    @Test
    void ipv4ResponseDecodesItsXorMappedAddress() throws Exception {
        StunMessageView message = parse(IPV4_RESPONSE);

        assertThat(message.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(message.verifyMessageIntegrity(SHORT_TERM_KEY)).isEqualTo(IntegrityCheck.VALID);
        assertThat(message.software()).isEqualTo("test vector");
        assertThat(message.xorMappedAddress())
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853));
    }

    @Test
    void ipv4ResponseReEncodesToTheVectorBytes() throws Exception {
        assertThat(response(InetAddress.getByName("192.0.2.1"))).isEqualTo(TestBytes.hex(IPV4_RESPONSE));
    }

    @Test
    void ipv6ResponseDecodesItsXorMappedAddress() throws Exception {
        StunMessageView message = parse(IPV6_RESPONSE);

        assertThat(message.verifyMessageIntegrity(SHORT_TERM_KEY)).isEqualTo(IntegrityCheck.VALID);
        assertThat(message.xorMappedAddress()).isEqualTo(
                new InetSocketAddress(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853));
    }

    @Test
    void ipv6ResponseReEncodesToTheVectorBytes() throws Exception {
        assertThat(response(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677")))
                .isEqualTo(TestBytes.hex(IPV6_RESPONSE));
    }

    @Test
    void longTermRequestVerifiesWithTheSaslPreparedPassword() {
        StunMessageView message = parse(LONG_TERM_REQUEST);
        byte[] key = StunCredentials.longTermKey(message.username(), message.realm(), "TheMatrIX");

        assertThat(message.username()).isEqualTo(USERNAME_MATRIX);
        assertThat(message.realm()).isEqualTo("example.org");
        assertThat(message.nonce()).isEqualTo("f//499k954d6OL34oL9FSTvy64sA");
        assertThat(message.hasFingerprint()).isFalse();
        assertThat(message.verifyMessageIntegrity(key)).isEqualTo(IntegrityCheck.VALID);
        assertThat(message.verifyMessageIntegrity(StunCredentials.longTermKey(USERNAME_MATRIX, "example.org",
                "TheM\u00aatr\u2168"))).as("unprepared password").isEqualTo(IntegrityCheck.INVALID);
    }

    @Test
    void longTermRequestReEncodesToTheVectorBytes() {
        ByteBuffer out = ByteBuffer.allocate(256);
        int length = writer.begin(out, 0, out.capacity(), StunMethod.BINDING.type(StunClass.REQUEST),
                        TestBytes.hex("78 ad 34 33 c6 ad 72 c0 29 da 41 2e"))
                .addText(StunAttributeType.USERNAME, USERNAME_MATRIX)
                .addText(StunAttributeType.NONCE, "f//499k954d6OL34oL9FSTvy64sA")
                .addText(StunAttributeType.REALM, "example.org")
                .addMessageIntegrity(StunCredentials.longTermKey(USERNAME_MATRIX, "example.org", "TheMatrIX"))
                .finish();

        assertThat(TestBytes.bytes(out, 0, length)).isEqualTo(TestBytes.hex(LONG_TERM_REQUEST));
    }

    @Test
    void vectorsFailIntegrityWithAnotherPassword() {
        byte[] wrong = StunCredentials.shortTermKey("VOkJxbRl1RmTxUk/WvJxBu");

        assertThat(parse(SAMPLE_REQUEST).verifyMessageIntegrity(wrong)).isEqualTo(IntegrityCheck.INVALID);
        assertThat(parse(IPV4_RESPONSE).verifyMessageIntegrity(wrong)).isEqualTo(IntegrityCheck.INVALID);
    }

    private byte[] response(InetAddress address) {
        ByteBuffer out = ByteBuffer.allocate(256);
        int length = writer.paddingByte(0x20)
                .begin(out, 0, out.capacity(), StunMethod.BINDING.type(StunClass.SUCCESS_RESPONSE), TRANSACTION_ID)
                .addText(StunAttributeType.SOFTWARE, "test vector")
                .addAddress(StunAttributeType.XOR_MAPPED_ADDRESS, new InetSocketAddress(address, 32853))
                .addMessageIntegrity(SHORT_TERM_KEY)
                .addFingerprint()
                .finish();
        return TestBytes.bytes(out, 0, length);
    }

    private StunMessageView parse(String vector) {
        byte[] bytes = TestBytes.hex(vector);
        StunParseResult result = parser.parse(ByteBuffer.wrap(bytes), 0, bytes.length);
        assertThat(result).isInstanceOf(StunParseResult.Parsed.class);
        return ((StunParseResult.Parsed) result).message();
    }
}
