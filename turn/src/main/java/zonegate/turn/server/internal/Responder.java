package zonegate.turn.server.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import zonegate.stun.StunAttributeType;
import zonegate.stun.StunClass;
import zonegate.stun.StunMessageView;
import zonegate.stun.StunMessageWriter;
import zonegate.turn.server.RelayTransmit;

/**
 * Builds responses into one scratch buffer and queues copies for the listen socket. A response is
 * signed with MESSAGE-INTEGRITY when a key is given and carries FINGERPRINT when the request did.
 */
public final class Responder {
    /** Scratch size: the largest STUN message (header plus 0xFFFC body bytes). */
    static final int SCRATCH_BYTES = 20 + 0xFFFC;

    final StunMessageWriter writer = new StunMessageWriter();
    final ByteBuffer scratch = ByteBuffer.allocate(SCRATCH_BYTES);
    private final Outbox outbox;

    /** A responder queueing to {@code outbox}. */
    public Responder(Outbox outbox) {
        this.outbox = outbox;
    }

    /** Starts a {@code responseClass} response to {@code request}; add attributes, then {@link #send}. */
    StunMessageWriter begin(StunMessageView request, StunClass responseClass) {
        return writer.beginResponse(scratch, 0, SCRATCH_BYTES, request, responseClass);
    }

    /** Signs (when {@code key} is not null), fingerprints, queues for {@code client}; returns the bytes. */
    byte[] send(InetSocketAddress client, byte[] key, boolean fingerprint) {
        if (key != null) {
            writer.addMessageIntegrity(key);
        }
        if (fingerprint) {
            writer.addFingerprint();
        }
        byte[] bytes = Arrays.copyOf(scratch.array(), writer.finish());
        outbox.transmit(RelayTransmit.LISTEN_SOCKET, client, bytes);
        return bytes;
    }

    /** Sends error {@code code} to {@code request}, signed with {@code key} when not null. */
    void error(StunMessageView request, InetSocketAddress client, int code, byte[] key) {
        begin(request, StunClass.ERROR_RESPONSE).addErrorCode(code, reason(code));
        send(client, key, request.hasFingerprint());
    }

    /** Sends an unsigned 401 or 438 carrying REALM and a fresh NONCE (RFC 8489 section 9.2.4). */
    void challenge(StunMessageView request, InetSocketAddress client, int code, String realm, String nonce) {
        begin(request, StunClass.ERROR_RESPONSE)
                .addErrorCode(code, reason(code))
                .addText(StunAttributeType.REALM, realm)
                .addText(StunAttributeType.NONCE, nonce);
        send(client, null, request.hasFingerprint());
    }

    /** The reason phrase RFC 8489 and RFC 8656 give for {@code code}. */
    static String reason(int code) {
        return switch (code) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 420 -> "Unknown Attribute";
            case 437 -> "Allocation Mismatch";
            case 438 -> "Stale Nonce";
            case 440 -> "Address Family not Supported";
            case 441 -> "Wrong Credentials";
            case 442 -> "Unsupported Transport Protocol";
            case 443 -> "Peer Address Family Mismatch";
            case 486 -> "Allocation Quota Reached";
            case 508 -> "Insufficient Capacity";
            default -> "Error";
        };
    }
}
