package zonegate.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.stun.StunAttributeType.*;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;

/**
 * Seeded property test: random messages (random methods, classes, transaction ids, attribute mixes,
 * optional integrity and fingerprint) built by the writer parse back to the same content.
 */
class StunRandomRoundTripTest {
    private static final long SEED = 0x5EED_57A1L;
    private static final int CASES = 5_000;
    private static final int[] TEXT_TYPES = {USERNAME, REALM, NONCE, SOFTWARE};
    private static final int[] ADDRESS_TYPES = {MAPPED_ADDRESS, XOR_MAPPED_ADDRESS, ALTERNATE_SERVER,
            XOR_PEER_ADDRESS, XOR_RELAYED_ADDRESS};
    private static final int[] FOUR_BYTE_TYPES = {PRIORITY, LIFETIME, CHANNEL_NUMBER, REQUESTED_TRANSPORT};
    private static final int[] EIGHT_BYTE_TYPES = {ICE_CONTROLLED, ICE_CONTROLLING, RESERVATION_TOKEN, ICMP};

    private record Expected(int type, byte[] value, InetSocketAddress address) {
    }

    private final StunParser parser = new StunParser();
    private final StunMessageWriter writer = new StunMessageWriter();

    @Test
    void randomMessagesParseBackToWhatWasWritten() throws Exception {
        RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(SEED);
        ByteBuffer buffer = ByteBuffer.allocateDirect(4096);
        for (int n = 0; n < CASES; n++) {
            int offset = random.nextInt(8);
            int type = StunMessageType.of(random.nextInt(0x1000), StunClass.values()[random.nextInt(4)]);
            byte[] txid = new byte[12];
            random.nextBytes(txid);
            writer.begin(buffer, offset, buffer.capacity() - offset, type, txid);
            List<Expected> expected = addRandomAttributes(random);
            byte[] key = new byte[random.nextInt(1, 40)];
            random.nextBytes(key);
            boolean sha1 = random.nextBoolean();
            boolean sha256 = random.nextBoolean();
            boolean fingerprint = random.nextBoolean();
            if (sha1) {
                writer.addMessageIntegrity(key);
            }
            if (sha256) {
                writer.addMessageIntegritySha256(key);
            }
            if (fingerprint) {
                writer.addFingerprint();
            }
            int length = writer.finish();

            StunParseResult result = parser.parse(buffer, offset, length);

            assertThat(result).as("case %d", n).isInstanceOf(StunParseResult.Parsed.class);
            StunMessageView m = ((StunParseResult.Parsed) result).message();
            assertThat(m.messageType()).isEqualTo(type);
            byte[] readId = new byte[12];
            m.copyTransactionId(readId, 0);
            assertThat(readId).isEqualTo(txid);
            assertThat(m.attributeCount())
                    .isEqualTo(expected.size() + (sha1 ? 1 : 0) + (sha256 ? 1 : 0) + (fingerprint ? 1 : 0));
            for (int i = 0; i < expected.size(); i++) {
                Expected e = expected.get(i);
                assertThat(m.attributeType(i)).as("case %d attribute %d", n, i).isEqualTo(e.type());
                if (e.address() != null) {
                    assertThat(m.addressAt(i)).isEqualTo(e.address());
                } else {
                    assertThat(TestBytes.bytes(m.buffer(), m.attributeValueOffset(i), m.attributeValueLength(i)))
                            .isEqualTo(e.value());
                }
            }
            assertThat(m.verifyMessageIntegrity(key)).isEqualTo(sha1 ? IntegrityCheck.VALID : IntegrityCheck.ABSENT);
            assertThat(m.verifyMessageIntegritySha256(key))
                    .isEqualTo(sha256 ? IntegrityCheck.VALID : IntegrityCheck.ABSENT);
            assertThat(m.hasFingerprint()).isEqualTo(fingerprint);
        }
    }

    private List<Expected> addRandomAttributes(RandomGenerator random) throws UnknownHostException {
        List<Expected> expected = new ArrayList<>();
        int count = random.nextInt(12);
        for (int i = 0; i < count; i++) {
            switch (random.nextInt(6)) {
                case 0 -> {
                    int type = unknownType(random);
                    byte[] value = randomBytes(random, random.nextInt(41));
                    writer.add(type, value);
                    expected.add(new Expected(type, value, null));
                }
                case 1 -> {
                    int type = TEXT_TYPES[random.nextInt(TEXT_TYPES.length)];
                    byte[] value = new byte[random.nextInt(60)];
                    for (int j = 0; j < value.length; j++) {
                        value[j] = (byte) random.nextInt(0x20, 0x7F);
                    }
                    writer.addText(type, new String(value, java.nio.charset.StandardCharsets.US_ASCII));
                    expected.add(new Expected(type, value, null));
                }
                case 2 -> {
                    int type = ADDRESS_TYPES[random.nextInt(ADDRESS_TYPES.length)];
                    InetSocketAddress address = new InetSocketAddress(
                            InetAddress.getByAddress(randomBytes(random, random.nextBoolean() ? 4 : 16)),
                            random.nextInt(65536));
                    writer.addAddress(type, address);
                    expected.add(new Expected(type, null, address));
                }
                case 3 -> add(random, FOUR_BYTE_TYPES[random.nextInt(FOUR_BYTE_TYPES.length)], 4, expected);
                case 4 -> add(random, EIGHT_BYTE_TYPES[random.nextInt(EIGHT_BYTE_TYPES.length)], 8, expected);
                default -> add(random, DATA, random.nextInt(200), expected);
            }
        }
        return expected;
    }

    private void add(RandomGenerator random, int type, int length, List<Expected> expected) {
        byte[] value = randomBytes(random, length);
        writer.add(type, value);
        expected.add(new Expected(type, value, null));
    }

    private static int unknownType(RandomGenerator random) {
        int type;
        do {
            type = random.nextInt(0x10000);
        } while (isKnown(type));
        return type;
    }

    private static byte[] randomBytes(RandomGenerator random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return Arrays.copyOf(bytes, length);
    }
}
