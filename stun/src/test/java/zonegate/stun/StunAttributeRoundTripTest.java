package zonegate.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.stun.StunAttributeType.*;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Every attribute type written by {@link StunMessageWriter} reads back the same through the parser. */
class StunAttributeRoundTripTest {
    private static final byte[] TXID = TestBytes.hex("0102030405060708090a0b0c");

    private final StunMessageWriter writer = new StunMessageWriter();
    private final StunParser parser = new StunParser();
    private final ByteBuffer buffer = ByteBuffer.allocate(2048);

    @Test
    void addressAttributesRoundTripForBothFamilies() throws Exception {
        InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("203.0.113.7"), 3478);
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 65535);
        for (int type : new int[] {MAPPED_ADDRESS, XOR_MAPPED_ADDRESS, ALTERNATE_SERVER, XOR_PEER_ADDRESS,
                XOR_RELAYED_ADDRESS}) {
            for (InetSocketAddress address : new InetSocketAddress[] {v4, v6}) {
                StunMessageView m = roundTrip(w -> w.addAddress(type, address));
                byte[] raw = new byte[16];

                assertThat(m.address(type)).isEqualTo(address);
                assertThat(m.addressPort(0)).isEqualTo(address.getPort());
                assertThat(m.copyAddress(0, raw)).isEqualTo(address.getAddress().getAddress().length);
            }
        }
    }

    @Test
    void xorAddressesAreNotWrittenInTheClear() throws Exception {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853);
        StunMessageView m = roundTrip(w -> w.addAddress(XOR_PEER_ADDRESS, address));

        assertThat(TestBytes.bytes(buffer, 24, 8)).isEqualTo(TestBytes.hex("0001a147e112a643"));
        assertThat(m.xorPeerAddress()).isEqualTo(address);
    }

    @Test
    void textAttributesRoundTripInUtf8() {
        StunMessageView m = roundTrip(w -> w.addText(USERNAME, "alice:b\u00f6b")
                .addText(REALM, "example.org").addText(NONCE, "n0nce").addText(SOFTWARE, "zonegate")
                .addText(ALTERNATE_DOMAIN, "relay.example.org"));

        assertThat(m.username()).isEqualTo("alice:b\u00f6b");
        assertThat(m.realm()).isEqualTo("example.org");
        assertThat(m.nonce()).isEqualTo("n0nce");
        assertThat(m.software()).isEqualTo("zonegate");
        assertThat(m.text(ALTERNATE_DOMAIN)).isEqualTo("relay.example.org");
    }

    @Test
    void errorCodeKeepsClassNumberAndReason() {
        StunMessageView m = roundTrip(w -> w.addErrorCode(438, "Stale Nonce"));

        assertThat(m.errorCode()).isEqualTo(438);
        assertThat(m.errorReason()).isEqualTo("Stale Nonce");
    }

    @Test
    void unknownAttributesListRoundTripsWithOddCounts() {
        StunMessageView m = roundTrip(w -> w.addUnknownAttributes(new int[] {0x0031, 0x7FFF, 0x0042}, 3));

        assertThat(m.unknownAttributesCount()).isEqualTo(3);
        assertThat(m.unknownAttribute(0)).isEqualTo(0x0031);
        assertThat(m.unknownAttribute(1)).isEqualTo(0x7FFF);
        assertThat(m.unknownAttribute(2)).isEqualTo(0x0042);
    }

    @Test
    void passwordAlgorithmsAndUserhashRoundTrip() {
        byte[] userhash = StunCredentials.userhash("alice", "example.org");
        StunMessageView m = roundTrip(w -> w.addPasswordAlgorithm(StunCredentials.ALGORITHM_SHA256)
                .addPasswordAlgorithms(StunCredentials.ALGORITHM_SHA256, StunCredentials.ALGORITHM_MD5)
                .add(USERHASH, userhash));
        int[] algorithms = new int[4];

        assertThat(m.passwordAlgorithm()).isEqualTo(StunCredentials.ALGORITHM_SHA256);
        assertThat(m.passwordAlgorithms(algorithms)).isEqualTo(2);
        assertThat(algorithms).startsWith(2, 1);
        assertThat(m.userhash()).isEqualTo(userhash).hasSize(32);
    }

    @Test
    void turnAttributesRoundTrip() {
        ByteBuffer payload = ByteBuffer.wrap(TestBytes.hex("deadbeef01"));
        StunMessageView m = roundTrip(w -> w.addChannelNumber(0x4001).addLifetime(0xFFFF_FFFFL)
                .addRequestedTransport(17).addRequestedAddressFamily(2).addAdditionalAddressFamily(2)
                .addEvenPort(true).addEmpty(DONT_FRAGMENT).addU64(RESERVATION_TOKEN, 0x0123456789abcdefL)
                .addData(payload, 0, 5).addAddressErrorCode(2, 440, "Address Family not Supported")
                .addIcmp(3, 4, 1400));

        assertThat(m.channelNumber()).isEqualTo(0x4001);
        assertThat(m.lifetimeSeconds()).isEqualTo(0xFFFF_FFFFL);
        assertThat(m.requestedTransport()).isEqualTo(17);
        assertThat(m.requestedAddressFamily()).isEqualTo(2);
        assertThat(m.additionalAddressFamily()).isEqualTo(2);
        assertThat(m.evenPort()).isEqualTo(1);
        assertThat(m.has(DONT_FRAGMENT)).isTrue();
        assertThat(m.reservationToken()).isEqualTo(0x0123456789abcdefL);
        assertThat(TestBytes.bytes(m.buffer(), m.dataOffset(), m.dataLengthBytes()))
                .isEqualTo(TestBytes.hex("deadbeef01"));
        assertThat(m.addressErrorFamily()).isEqualTo(2);
        assertThat(m.addressErrorCode()).isEqualTo(440);
        assertThat(m.addressErrorReason()).isEqualTo("Address Family not Supported");
        assertThat(m.icmpType()).isEqualTo(3);
        assertThat(m.icmpCode()).isEqualTo(4);
        assertThat(m.icmpErrorData()).isEqualTo(1400);
    }

    @Test
    void evenPortWithoutReservationReadsZero() {
        assertThat(roundTrip(w -> w.addEvenPort(false)).evenPort()).isZero();
    }

    @Test
    void iceAttributesRoundTrip() {
        StunMessageView m = roundTrip(w -> w.addPriority(0xFFFF_FFFEL).addUseCandidate()
                .addIceControlling(-2L).addIceControlled(Long.MIN_VALUE));

        assertThat(m.priority()).isEqualTo(0xFFFF_FFFEL);
        assertThat(m.has(USE_CANDIDATE)).isTrue();
        assertThat(m.iceControllingTieBreaker()).isEqualTo(-2L);
        assertThat(m.iceControlledTieBreaker()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void integrityAttributesVerifyAndFingerprintIsChecked() {
        byte[] key = StunCredentials.longTermKey("alice", "example.org", "secret");
        StunMessageView m = roundTrip(w -> w.addText(USERNAME, "alice").addMessageIntegrity(key)
                .addMessageIntegritySha256(key).addFingerprint());

        assertThat(m.verifyMessageIntegrity(key)).isEqualTo(IntegrityCheck.VALID);
        assertThat(m.verifyMessageIntegritySha256(key)).isEqualTo(IntegrityCheck.VALID);
        assertThat(m.hasFingerprint()).isTrue();
    }

    @Test
    void sha256IntegrityAloneVerifiesAndSha1IsReportedAbsent() {
        byte[] key = StunCredentials.shortTermKey("pass");
        StunMessageView m = roundTrip(w -> w.addMessageIntegritySha256(key));

        assertThat(m.verifyMessageIntegritySha256(key)).isEqualTo(IntegrityCheck.VALID);
        assertThat(m.verifyMessageIntegrity(key)).isEqualTo(IntegrityCheck.ABSENT);
    }

    @Test
    void absentAttributesReadAsDocumentedDefaults() {
        StunMessageView m = roundTrip(w -> { });

        assertThat(m.attributeCount()).isZero();
        assertThat(m.errorCode()).isEqualTo(-1);
        assertThat(m.channelNumber()).isEqualTo(-1);
        assertThat(m.lifetimeSeconds()).isEqualTo(-1);
        assertThat(m.priority()).isEqualTo(-1);
        assertThat(m.evenPort()).isEqualTo(-1);
        assertThat(m.dataOffset()).isEqualTo(-1);
        assertThat(m.unknownAttributesCount()).isEqualTo(-1);
        assertThat(m.passwordAlgorithms(new int[2])).isEqualTo(-1);
        assertThat(m.xorMappedAddress()).isNull();
        assertThat(m.username()).isNull();
        assertThat(m.userhash()).isNull();
        assertThat(m.hasFingerprint()).isFalse();
    }

    private StunMessageView roundTrip(Consumer<StunMessageWriter> attributes) {
        writer.begin(buffer, 0, buffer.capacity(), StunMethod.ALLOCATE.type(StunClass.REQUEST), TXID);
        attributes.accept(writer);
        int length = writer.finish();
        StunParseResult result = parser.parse(buffer, 0, length);
        assertThat(result).isInstanceOf(StunParseResult.Parsed.class);
        StunMessageView m = ((StunParseResult.Parsed) result).message();
        assertThat(m.lengthBytes()).isEqualTo(length);
        byte[] txid = new byte[12];
        m.copyTransactionId(txid, 0);
        assertThat(txid).isEqualTo(TXID);
        return m;
    }
}
