package zonegate.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ChannelDataTest {
    private final ChannelDataView view = new ChannelDataView();

    @Test
    void writtenMessageParsesBackWithChannelAndData() {
        ByteBuffer out = ByteBuffer.allocate(64);
        ByteBuffer data = ByteBuffer.wrap(TestBytes.hex("0102030405"));

        int length = ChannelDataWriter.write(out, 2, 60, 0x4ABC, data, 0, 5, false);

        assertThat(length).isEqualTo(9);
        assertThat(TestBytes.bytes(out, 2, 9)).isEqualTo(TestBytes.hex("4abc0005 0102030405"));
        assertThat(view.parse(out, 2, length)).isInstanceOfSatisfying(ChannelDataResult.Parsed.class, p -> {
            assertThat(p.message().channelNumber()).isEqualTo(0x4ABC);
            assertThat(p.message().dataOffset()).isEqualTo(6);
            assertThat(p.message().dataLengthBytes()).isEqualTo(5);
        });
    }

    @Test
    void paddedMessageIsAcceptedAndPaddingIsZero() {
        ByteBuffer out = ByteBuffer.allocate(64);
        for (int i = 0; i < 64; i++) {
            out.put(i, (byte) 0xFF);
        }

        int length = ChannelDataWriter.writeHeader(out, 0, 64, 0x4000, 5, true);

        assertThat(length).isEqualTo(12);
        assertThat(TestBytes.bytes(out, 9, 3)).containsExactly(0, 0, 0);
        assertThat(view.parse(out, 0, length)).isInstanceOf(ChannelDataResult.Parsed.class);
    }

    @Test
    void emptyDataIsAccepted() {
        assertThat(parse("4fff0000")).isInstanceOf(ChannelDataResult.Parsed.class);
    }

    @Test
    void rejectsWhatIsNotChannelData() {
        assertThat(parse("3fff0000")).isEqualTo(rejected(StunRejection.NOT_CHANNEL_DATA));
        assertThat(parse("80000000")).isEqualTo(rejected(StunRejection.NOT_CHANNEL_DATA));
        assertThat(parse("")).isEqualTo(rejected(StunRejection.NOT_CHANNEL_DATA));
    }

    @Test
    void acceptsRfc5766ChannelsUpTo7fff() {
        assertThat(parse("50000001 aa")).isInstanceOfSatisfying(ChannelDataResult.Parsed.class,
                p -> assertThat(p.message().channelNumber()).isEqualTo(0x5000));
        assertThat(parse("7add0002 aabb")).isInstanceOfSatisfying(ChannelDataResult.Parsed.class,
                p -> assertThat(p.message().channelNumber()).isEqualTo(0x7ADD));
        assertThat(parse("7fff0000")).isInstanceOf(ChannelDataResult.Parsed.class);
    }

    @Test
    void rangesSeparateWhatClientsBindFromWhatRelaysAccept() {
        assertThat(ChannelDataView.isValidChannel(0x4FFF)).isTrue();
        assertThat(ChannelDataView.isValidChannel(0x5000)).isFalse();
        assertThat(ChannelDataView.isRfc5766Channel(0x5000)).isTrue();
        assertThat(ChannelDataView.isRfc5766Channel(0x7FFF)).isTrue();
        assertThat(ChannelDataView.isRfc5766Channel(0x8000)).isFalse();
        assertThat(ChannelDataView.isRfc5766Channel(0x3FFF)).isFalse();
    }

    @Test
    void rejectsTruncatedHeadersAndData() {
        assertThat(parse("4000")).isEqualTo(rejected(StunRejection.TRUNCATED));
        assertThat(parse("40000005 01020304")).isEqualTo(rejected(StunRejection.TRUNCATED));
    }

    @Test
    void rejectsMoreTrailingBytesThanPadding() {
        assertThat(parse("40000004 01020304 00")).isEqualTo(rejected(StunRejection.BAD_LENGTH));
        assertThat(parse("40000001 01 0000")).isEqualTo(rejected(StunRejection.BAD_LENGTH));
        assertThat(parse("40000001 01 000000")).isInstanceOf(ChannelDataResult.Parsed.class);
    }

    @Test
    void writerFramesRfc5766Channels() {
        ByteBuffer out = ByteBuffer.allocate(16);

        assertThat(ChannelDataWriter.writeHeader(out, 0, 16, 0x7FFF, 0, false)).isEqualTo(4);
        assertThat(TestBytes.bytes(out, 0, 4)).isEqualTo(TestBytes.hex("7fff0000"));
    }

    @Test
    void writerRefusesChannelsOutsideTheRange() {
        ByteBuffer out = ByteBuffer.allocate(16);

        assertThatThrownBy(() -> ChannelDataWriter.writeHeader(out, 0, 16, 0x8000, 0, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChannelDataWriter.writeHeader(out, 0, 16, 0x3FFF, 0, false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private ChannelDataResult parse(String hex) {
        byte[] bytes = TestBytes.hex(hex);
        return view.parse(ByteBuffer.wrap(bytes), 0, bytes.length);
    }

    private static ChannelDataResult rejected(StunRejection reason) {
        return ChannelDataResult.Rejected.of(reason);
    }
}
