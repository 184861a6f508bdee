package zonegate.ice;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import zonegate.stun.IntegrityCheck;
import zonegate.stun.StunAttributeType;
import zonegate.stun.StunClass;
import zonegate.stun.StunCredentials;
import zonegate.stun.StunMessageView;
import zonegate.stun.StunMessageWriter;
import zonegate.stun.StunMethod;
import zonegate.stun.StunParseResult;
import zonegate.stun.StunParser;

/**
 * A hand-driven peer for unit tests: builds checks and answers the way aioice 0.8 does (USERNAME,
 * PRIORITY, ICE-CONTROLLING/ICE-CONTROLLED, optional USE-CANDIDATE, MESSAGE-INTEGRITY, FINGERPRINT).
 */
final class Wire {
    private final StunMessageWriter writer = new StunMessageWriter();
    private final StunParser parser = new StunParser();
    private final ByteBuffer scratch = ByteBuffer.allocate(2048);
    private int nextId = 1;

    /** A Binding request; {@code role} null omits both role attributes; {@code key} null omits integrity. */
    ByteBuffer check(String username, long priority, IceRole role, long tieBreaker, boolean useCandidate, byte[] key) {
        writer.begin(scratch, 0, scratch.capacity(), StunMethod.BINDING.type(StunClass.REQUEST), nextId++, 42L);
        if (username != null) {
            writer.addText(StunAttributeType.USERNAME, username);
        }
        if (priority > 0) {
            writer.addPriority(priority);
        }
        if (role == IceRole.CONTROLLING) {
            writer.addIceControlling(tieBreaker);
        } else if (role == IceRole.CONTROLLED) {
            writer.addIceControlled(tieBreaker);
        }
        if (useCandidate) {
            writer.addUseCandidate();
        }
        if (key != null) {
            writer.addMessageIntegrity(key);
        }
        return done(writer.addFingerprint().finish());
    }

    /** An aioice-style check from the peer whose credentials are {@code peer} to the agent with {@code agent}. */
    ByteBuffer check(IceCredentials agent, IceCredentials peer, IceRole role, long tieBreaker, boolean useCandidate) {
        return check(agent.ufrag() + ":" + peer.ufrag(), 1853817087L, role, tieBreaker, useCandidate,
                StunCredentials.shortTermKey(agent.password()));
    }

    /** A success (or, with {@code errorCode} > 0, error) response to {@code request}, signed with {@code password}. */
    ByteBuffer answer(ByteBuffer request, InetSocketAddress mapped, int errorCode, String password) {
        StunMessageView m = parse(request);
        if (errorCode > 0) {
            writer.beginResponse(scratch, 0, scratch.capacity(), m, StunClass.ERROR_RESPONSE).addErrorCode(errorCode, "x");
        } else {
            writer.beginResponse(scratch, 0, scratch.capacity(), m, StunClass.SUCCESS_RESPONSE)
                    .addAddress(StunAttributeType.XOR_MAPPED_ADDRESS, mapped);
        }
        if (password != null) {
            writer.addMessageIntegrity(StunCredentials.shortTermKey(password));
        }
        return done(writer.addFingerprint().finish());
    }

    /** The parsed message (valid until the next parse), or an AssertionError. */
    StunMessageView parse(ByteBuffer datagram) {
        if (parser.parse(datagram, datagram.position(), datagram.remaining()) instanceof StunParseResult.Parsed(
                StunMessageView m)) {
            return m;
        }
        throw new AssertionError("not STUN");
    }

    boolean signedWith(ByteBuffer datagram, String password) {
        return parse(datagram).verifyMessageIntegrity(StunCredentials.shortTermKey(password)) == IntegrityCheck.VALID;
    }

    private ByteBuffer done(int length) {
        return ByteBuffer.wrap(Arrays.copyOf(scratch.array(), length));
    }
}
