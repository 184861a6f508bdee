package zonegate.stun;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StunMessageTypeTest {

    @Test
    void methodAndClassBitsInterleaveAsRfc8489Section5Shows() {
        assertThat(StunMethod.BINDING.type(StunClass.REQUEST)).isEqualTo(0x0001);
        assertThat(StunMethod.BINDING.type(StunClass.INDICATION)).isEqualTo(0x0011);
        assertThat(StunMethod.BINDING.type(StunClass.SUCCESS_RESPONSE)).isEqualTo(0x0101);
        assertThat(StunMethod.BINDING.type(StunClass.ERROR_RESPONSE)).isEqualTo(0x0111);
        assertThat(StunMethod.ALLOCATE.type(StunClass.ERROR_RESPONSE)).isEqualTo(0x0113);
        assertThat(StunMethod.SEND.type(StunClass.INDICATION)).isEqualTo(0x0016);
        assertThat(StunMethod.DATA.type(StunClass.INDICATION)).isEqualTo(0x0017);
        assertThat(StunMethod.CHANNEL_BIND.type(StunClass.SUCCESS_RESPONSE)).isEqualTo(0x0109);
    }

    @Test
    void everyMethodNumberAndClassRoundTripsThroughTheType() {
        for (int method = 0; method < 0x1000; method++) {
            for (StunClass messageClass : StunClass.values()) {
                int type = StunMessageType.of(method, messageClass);

                assertThat(type).isBetween(0, 0x3FFF);
                assertThat(StunMessageType.method(type)).isEqualTo(method);
                assertThat(StunMessageType.messageClass(type)).isEqualTo(messageClass);
            }
        }
    }

    @Test
    void knownMethodsAreFoundByCodeAndOthersAreNull() {
        for (StunMethod method : StunMethod.values()) {
            assertThat(StunMethod.ofCode(method.code())).isSameAs(method);
        }
        assertThat(StunMethod.ofCode(0x002)).isNull();
        assertThat(StunMethod.ofCode(0xFFF)).isNull();
        assertThat(StunMethod.ofCode(-1)).isNull();
    }
}
