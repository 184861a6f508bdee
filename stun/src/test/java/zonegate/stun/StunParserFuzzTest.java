package zonegate.stun;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;

/**
 * Arbitrary bytes never make the STUN parser, any getter, the integrity checks, the classifier or the
 * 420 builder throw. In regression mode (the default) these replay the seed corpora under
 * {@code src/test/resources/zonegate/stun/StunParserFuzzTestInputs/<method>/}; run with
 * {@code JAZZER_FUZZ=1} to fuzz.
 */
class StunParserFuzzTest {
    private static final byte[] KEY = StunCredentials.shortTermKey("VOkJxbRl1RmTxUk/WvJxBt");

    private final StunParser parser = new StunParser();
    private final StunMessageWriter writer = new StunMessageWriter();
    private final ByteBuffer scratch = ByteBuffer.allocate(2048);

    @FuzzTest(maxDuration = "10s")
    void parsesArbitraryBytesWithoutThrowing(byte[] data) {
        ByteBuffer buffer = ByteBuffer.wrap(data);
        DatagramKind.classify(buffer, 0, data.length);
        if (parser.parse(buffer, 0, data.length) instanceof StunParseResult.Parsed(StunMessageView m)) {
            readEverything(m);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void parsesArbitraryBytesAtAnOffsetInADirectBufferWithoutThrowing(FuzzedDataProvider data) {
        int offset = data.consumeInt(0, 16);
        byte[] bytes = data.consumeRemainingAsBytes();
        ByteBuffer buffer = ByteBuffer.allocateDirect(offset + bytes.length).put(offset, bytes);
        if (parser.parse(buffer, offset, bytes.length) instanceof StunParseResult.Parsed(StunMessageView m)) {
            readEverything(m);
        }
    }

    private long readEverything(StunMessageView m) {
        long sink = m.messageType() + m.methodCode() + m.messageClass().ordinal() + m.transactionIdHigh()
                + m.transactionIdLow() + m.lengthBytes() + (m.method() == null ? 0 : 1);
        byte[] address = new byte[16];
        for (int i = 0; i < m.attributeCount(); i++) {
            int type = m.attributeType(i);
            sink += type + m.attributeValueOffset(i) + m.attributeValueLength(i);
            if (StunAttributeType.isAddress(type)) {
                sink += m.addressFamily(i) + m.addressPort(i) + m.copyAddress(i, address);
                sink += m.addressAt(i) == null ? 0 : 1;
            }
            sink += m.text(type) == null ? 0 : 1;
        }
        sink += m.errorCode() + m.unknownAttributesCount() + m.passwordAlgorithm()
                + m.passwordAlgorithms(new int[4]) + m.channelNumber() + m.lifetimeSeconds()
                + m.requestedTransport() + m.requestedAddressFamily() + m.additionalAddressFamily()
                + m.evenPort() + m.reservationToken() + m.dataOffset() + m.dataLengthBytes()
                + m.addressErrorFamily() + m.addressErrorCode() + m.icmpType() + m.icmpCode() + m.icmpErrorData()
                + m.priority() + m.iceControlledTieBreaker() + m.iceControllingTieBreaker();
        for (int i = 0; i < m.unknownAttributesCount(); i++) {
            sink += m.unknownAttribute(i);
        }
        sink += nullable(m.errorReason()) + nullable(m.addressErrorReason()) + nullable(m.username())
                + nullable(m.realm()) + nullable(m.nonce()) + nullable(m.software())
                + (m.userhash() == null ? 0 : 1) + (m.xorMappedAddress() == null ? 0 : 1)
                + (m.mappedAddress() == null ? 0 : 1) + (m.xorPeerAddress() == null ? 0 : 1)
                + (m.xorRelayedAddress() == null ? 0 : 1) + (m.alternateServer() == null ? 0 : 1)
                + (m.hasFingerprint() ? 1 : 0);
        sink += m.verifyMessageIntegrity(KEY).ordinal() + m.verifyMessageIntegritySha256(KEY).ordinal();
        int[] unknown = new int[StunAttributeReader.MAX_ATTRIBUTES];
        int count = m.unknownComprehensionRequired(unknown);
        if (count > 0) {
            sink += writer.beginUnknownAttributesError(scratch, 0, scratch.capacity(), m, unknown, count)
                    .addFingerprint().finish();
        }
        return sink;
    }

    private static int nullable(String text) {
        return text == null ? 0 : text.length();
    }
}
