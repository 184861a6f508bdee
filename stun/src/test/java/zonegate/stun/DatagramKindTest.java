package zonegate.stun;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DatagramKindTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "0001000021120000000000000000000000000000, OTHER",
            "000100002112a442000000000000000000000000, STUN",
            "011100002112a442000000000000000000000000, STUN",
            "400000042112a442000000000000000000000000, CHANNEL_DATA",
            "000100002112a4420000000000000000000000, OTHER",
            "4000000401020304, CHANNEL_DATA",
            "4fff0000, CHANNEL_DATA",
            "3fff0000, OTHER",
            "50000000, CHANNEL_DATA",
            "7add0004aabbccdd, CHANNEL_DATA",
            "7fff0000, CHANNEL_DATA",
            "40000000, CHANNEL_DATA",
            "80000000, OTHER",
            "ff000000, OTHER",
            "01000000aabbccdd, WIREGUARD",
            "02000000aabbccdd, WIREGUARD",
            "03000000aabbccdd, WIREGUARD",
            "04000000aabbccdd000000000000000000000000, WIREGUARD",
            "05000000aabbccdd, OTHER",
            "01000100aabbccdd, OTHER",
            "00000000, OTHER",
            "400000, OTHER",
            "80001234, OTHER",
            "c0002112a442, OTHER",
    })
    void classifiesByTheFirstBytes(String hex, DatagramKind expected) {
        byte[] bytes = TestBytes.hex(hex);

        assertThat(DatagramKind.classify(ByteBuffer.wrap(bytes), 0, bytes.length)).isEqualTo(expected);
    }

    @Test
    void everyFirstByteFallsInExactlyOneKindAndChannelDataAgreesWithTheView() {
        ChannelDataView view = new ChannelDataView();
        for (int first = 0; first < 256; first++) {
            ByteBuffer buffer = ByteBuffer.wrap(new byte[] {(byte) first, 0, 0, 0});

            DatagramKind kind = DatagramKind.classify(buffer, 0, 4);

            DatagramKind expected = first >= 1 && first <= 4 ? DatagramKind.WIREGUARD
                    : first >= 0x40 && first <= 0x7F ? DatagramKind.CHANNEL_DATA : DatagramKind.OTHER;
            assertThat(kind).as("first byte %d", first).isEqualTo(expected);
            assertThat(view.parse(buffer, 0, 4) instanceof ChannelDataResult.Parsed)
                    .as("first byte %d", first).isEqualTo(kind == DatagramKind.CHANNEL_DATA);
        }
    }

    @ParameterizedTest(name = "offset {0}")
    @CsvSource({"0", "3", "17"})
    void classifiesAtAnOffsetIgnoringSurroundingBytes(int offset) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(64);
        for (int i = 0; i < 64; i++) {
            buffer.put(i, (byte) 0x40);
        }
        buffer.put(offset, TestBytes.hex("000100002112a442000000000000000000000000"));

        assertThat(DatagramKind.classify(buffer, offset, 20)).isEqualTo(DatagramKind.STUN);
    }
}
