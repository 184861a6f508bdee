package zonegate.ice.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import zonegate.stun.StunClass;
import zonegate.stun.StunMessageView;
import zonegate.stun.StunMessageWriter;
import zonegate.stun.StunMethod;

/**
 * Encodes the ICE Binding messages (RFC 8445 sections 7.1.1 and 7.3.1), each with FINGERPRINT last:
 *
 * <pre>
 * request          USERNAME remote:local, PRIORITY, ICE-CONTROLLING|ICE-CONTROLLED, [USE-CANDIDATE],
 *                  MESSAGE-INTEGRITY (remote password), FINGERPRINT
 * success response XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY (local password), FINGERPRINT
 * error 400, 487   ERROR-CODE, MESSAGE-INTEGRITY (local password), FINGERPRINT
 * error 420        ERROR-CODE, UNKNOWN-ATTRIBUTES, MESSAGE-INTEGRITY (local password), FINGERPRINT
 * error 401        ERROR-CODE, FINGERPRINT (RFC 8489 10.1.2: no integrity with a key the sender failed)
 * </pre>
 *
 * aioice 0.8 sends and expects the same set. Each message is a new exact-size array (checks are rare
 * control traffic; a retransmission resends the same bytes, as RFC 8489 section 6.2.1 requires).
 */
final class Messages {
    /** Enough for two 256-character ufrags and every attribute. */
    private static final int SCRATCH_BYTES = 1024;

    private final StunMessageWriter writer = new StunMessageWriter();
    private final ByteBuffer scratch = ByteBuffer.allocate(SCRATCH_BYTES);

    byte[] request(int idHigh, long idLow, String username, long priority, boolean controlling, long tieBreaker,
            boolean useCandidate, byte[] remoteKey) {
        writer.begin(scratch, 0, SCRATCH_BYTES, StunMethod.BINDING.type(StunClass.REQUEST), idHigh, idLow)
                .addText(zonegate.stun.StunAttributeType.USERNAME, username)
                .addPriority(priority);
        if (controlling) {
            writer.addIceControlling(tieBreaker);
        } else {
            writer.addIceControlled(tieBreaker);
        }
        if (useCandidate) {
            writer.addUseCandidate();
        }
        return finish(writer.addMessageIntegrity(remoteKey).addFingerprint().finish());
    }

    byte[] success(StunMessageView request, InetSocketAddress mapped, byte[] localKey) {
        return finish(writer.beginResponse(scratch, 0, SCRATCH_BYTES, request, StunClass.SUCCESS_RESPONSE)
                .addAddress(zonegate.stun.StunAttributeType.XOR_MAPPED_ADDRESS, mapped)
                .addMessageIntegrity(localKey).addFingerprint().finish());
    }

    /** An error response; signed with {@code localKey} unless it is {@code null}. */
    byte[] error(StunMessageView request, int code, String reason, byte[] localKey) {
        writer.beginResponse(scratch, 0, SCRATCH_BYTES, request, StunClass.ERROR_RESPONSE).addErrorCode(code, reason);
        if (localKey != null) {
            writer.addMessageIntegrity(localKey);
        }
        return finish(writer.addFingerprint().finish());
    }

    /** The 420 answer listing {@code types[0, count)}, signed with {@code localKey} (RFC 8489 section 6.3.1.1). */
    byte[] unknownAttributes(StunMessageView request, int[] types, int count, byte[] localKey) {
        writer.beginUnknownAttributesError(scratch, 0, SCRATCH_BYTES, request, types, count);
        return finish(writer.addMessageIntegrity(localKey).addFingerprint().finish());
    }

    private byte[] finish(int length) {
        return Arrays.copyOf(scratch.array(), length);
    }
}
