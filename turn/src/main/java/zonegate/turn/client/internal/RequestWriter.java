package zonegate.turn.client.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import zonegate.stun.StunAttributeType;
import zonegate.stun.StunClass;
import zonegate.stun.StunMessageWriter;
import zonegate.stun.StunMethod;

/**
 * Encodes the client's requests to a relay (RFC 8656 sections 7.1, 8.1, 12.1; RFC 8489 section 9.2.4
 * for the long-term credential attributes). Each call returns a fresh array, kept for retransmission.
 */
public final class RequestWriter {
    /** Requests are small; this bounds the largest one (USERNAME, REALM and NONCE are at most 763 bytes each). */
    private static final int MAX_REQUEST_BYTES = 2_560;
    private static final int UDP = 17;
    private static final int FAMILY_IPV6 = 0x02;

    /** Long-term credentials for one request: USERNAME, REALM, NONCE and the MESSAGE-INTEGRITY key. */
    public record Auth(String username, String realm, String nonce, byte[] key) {
    }

    private final StunMessageWriter writer = new StunMessageWriter();
    private final ByteBuffer scratch = ByteBuffer.allocate(MAX_REQUEST_BYTES);

    /** BINDING request, unauthenticated (a relay answers it like any STUN server). */
    public byte[] binding(int idHigh, long idLow) {
        begin(StunMethod.BINDING, idHigh, idLow);
        return finish(null);
    }

    /** ALLOCATE for UDP, IPv4 plus IPv6 when {@code ipv6Too} (ADDITIONAL-ADDRESS-FAMILY, RFC 8656 7.1). */
    public byte[] allocate(int idHigh, long idLow, boolean ipv6Too, Auth auth) {
        begin(StunMethod.ALLOCATE, idHigh, idLow).addRequestedTransport(UDP);
        if (ipv6Too) {
            writer.addAdditionalAddressFamily(FAMILY_IPV6);
        }
        return finish(auth);
    }

    /** REFRESH asking for {@code lifetimeSeconds} (0 deletes the allocation). */
    public byte[] refresh(int idHigh, long idLow, long lifetimeSeconds, Auth auth) {
        begin(StunMethod.REFRESH, idHigh, idLow).addLifetime(lifetimeSeconds);
        return finish(auth);
    }

    /** CHANNEL-BIND of {@code channel} to {@code peer}; it also installs the peer's permission (RFC 8656 12.2). */
    public byte[] channelBind(int idHigh, long idLow, InetSocketAddress peer, int channel, Auth auth) {
        begin(StunMethod.CHANNEL_BIND, idHigh, idLow)
                .addChannelNumber(channel)
                .addAddress(StunAttributeType.XOR_PEER_ADDRESS, peer);
        return finish(auth);
    }

    private StunMessageWriter begin(StunMethod method, int idHigh, long idLow) {
        return writer.begin(scratch, 0, MAX_REQUEST_BYTES, method.type(StunClass.REQUEST), idHigh, idLow);
    }

    private byte[] finish(Auth auth) {
        if (auth != null) {
            writer.addText(StunAttributeType.USERNAME, auth.username())
                    .addText(StunAttributeType.REALM, auth.realm())
                    .addText(StunAttributeType.NONCE, auth.nonce())
                    .addMessageIntegrity(auth.key());
        }
        int length = writer.addFingerprint().finish();
        return Arrays.copyOf(scratch.array(), length);
    }
}
