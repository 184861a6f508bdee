package zonegate.stun;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class UnknownAttributesTest {
    private static final byte[] TXID = TestBytes.hex("a1a2a3a4a5a6a7a8a9aaabac");

    private final StunParser parser = new StunParser();
    private final StunMessageWriter writer = new StunMessageWriter();

    @Test
    void listsEachUnknownComprehensionRequiredTypeOnce() {
        StunMessageView request = request();
        int[] unknown = new int[8];

        int count = request.unknownComprehensionRequired(unknown);

        assertThat(count).isEqualTo(2);
        assertThat(unknown).startsWith(0x0031, 0x7FFE);
    }

    @Test
    void aMessageWithOnlyKnownOrOptionalAttributesListsNone() {
        ByteBuffer buffer = ByteBuffer.allocate(128);
        int length = writer.begin(buffer, 0, 128, StunMethod.BINDING.type(StunClass.REQUEST), TXID)
                .addPriority(1).add(0xC001, new byte[3]).finish();
        StunMessageView message = ((StunParseResult.Parsed) parser.parse(buffer, 0, length)).message();

        assertThat(message.unknownComprehensionRequired(new int[4])).isZero();
    }

    @Test
    void builds420ResponseWithUnknownAttributesForTheRequest() {
        StunMessageView request = request();
        int[] unknown = new int[8];
        int count = request.unknownComprehensionRequired(unknown);
        ByteBuffer out = ByteBuffer.allocate(256);
        byte[] key = StunCredentials.shortTermKey("pwd");

        int length = writer.beginUnknownAttributesError(out, 0, 256, request, unknown, count)
                .addMessageIntegrity(key).addFingerprint().finish();

        StunMessageView response = ((StunParseResult.Parsed) new StunParser().parse(out, 0, length)).message();
        assertThat(response.method()).isEqualTo(StunMethod.ALLOCATE);
        assertThat(response.messageClass()).isEqualTo(StunClass.ERROR_RESPONSE);
        assertThat(response.transactionIdLow()).isEqualTo(request.transactionIdLow());
        assertThat(response.transactionIdHigh()).isEqualTo(request.transactionIdHigh());
        assertThat(response.errorCode()).isEqualTo(420);
        assertThat(response.errorReason()).isEqualTo("Unknown Attribute");
        assertThat(response.unknownAttributesCount()).isEqualTo(2);
        assertThat(response.unknownAttribute(0)).isEqualTo(0x0031);
        assertThat(response.unknownAttribute(1)).isEqualTo(0x7FFE);
        assertThat(response.verifyMessageIntegrity(key)).isEqualTo(IntegrityCheck.VALID);
    }

    private StunMessageView request() {
        ByteBuffer buffer = ByteBuffer.allocate(256);
        int length = writer.begin(buffer, 0, 256, StunMethod.ALLOCATE.type(StunClass.REQUEST), TXID)
                .addRequestedTransport(17)
                .add(0x0031, new byte[] {1})
                .add(0x8031, new byte[] {2})
                .add(0x7FFE, new byte[0])
                .add(0x0031, new byte[] {3})
                .finish();
        return ((StunParseResult.Parsed) parser.parse(buffer, 0, length)).message();
    }
}
