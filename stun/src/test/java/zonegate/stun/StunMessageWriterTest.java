package zonegate.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class StunMessageWriterTest {
    private final StunMessageWriter writer = new StunMessageWriter();
    private final ByteBuffer buffer = ByteBuffer.allocate(128);

    @Test
    void headerLengthCountsEveryPaddedAttribute() {
        int length = begin().addText(StunAttributeType.SOFTWARE, "abcde").addUseCandidate().finish();

        assertThat(length).isEqualTo(20 + 12 + 4);
        assertThat(buffer.getShort(2)).isEqualTo((short) 16);
        assertThat(TestBytes.bytes(buffer, 20, 12)).isEqualTo(TestBytes.hex("80220005 6162636465 000000"));
    }

    @Test
    void reserveLetsTheCallerWriteTheValueInPlace() {
        int value = begin().reserve(StunAttributeType.DATA, 3);
        buffer.put(value, new byte[] {7, 8, 9});

        StunMessageView m = ((StunParseResult.Parsed) new StunParser().parse(buffer, 0, writer.finish())).message();
        assertThat(TestBytes.bytes(buffer, m.dataOffset(), m.dataLengthBytes())).containsExactly(7, 8, 9);
    }

    @Test
    void refusesAttributesAfterTheFingerprint() {
        begin().addFingerprint();

        assertThatThrownBy(() -> writer.addUseCandidate()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> writer.addMessageIntegrity(new byte[4])).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refusesOrdinaryAttributesAfterMessageIntegrityButAllowsSha256AndFingerprint() {
        begin().addMessageIntegrity(new byte[4]);

        assertThatThrownBy(() -> writer.addPriority(1)).isInstanceOf(IllegalStateException.class);
        writer.addMessageIntegritySha256(new byte[4]).addFingerprint();
        assertThat(writer.finish()).isEqualTo(20 + 24 + 36 + 8);
    }

    @Test
    void refusesToWritePastTheCapacity() {
        writer.begin(buffer, 0, 32, 1, 0, 0);

        assertThatThrownBy(() -> writer.add(StunAttributeType.DATA, new byte[9]))
                .isInstanceOf(BufferOverflowException.class);
    }

    @Test
    void refusesErrorCodesOutsideTheRange() {
        begin();

        assertThatThrownBy(() -> writer.addErrorCode(200, "OK")).isInstanceOf(IllegalArgumentException.class);
    }

    private StunMessageWriter begin() {
        return writer.begin(buffer, 0, buffer.capacity(), StunMethod.BINDING.type(StunClass.INDICATION), 1, 2L);
    }
}
