package zonegate.turn.client;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import zonegate.stun.ChannelDataWriter;
import zonegate.stun.IntegrityCheck;
import zonegate.stun.StunAttributeType;
import zonegate.stun.StunClass;
import zonegate.stun.StunCredentials;
import zonegate.stun.StunMessageView;
import zonegate.stun.StunMessageWriter;
import zonegate.stun.StunMethod;
import zonegate.stun.StunParseResult;
import zonegate.stun.StunParser;

/** A minimal TURN relay for tests: long-term credentials, nonces, and a log of what it received. */
final class FakeRelay {
    static final InetSocketAddress ADDRESS = new InetSocketAddress("192.0.2.1", 3478);
    static final InetSocketAddress MAPPED = new InetSocketAddress("198.51.100.7", 40000);
    static final InetSocketAddress RELAYED = new InetSocketAddress("192.0.2.1", 50000);
    static final String USER = "alice";
    static final String PASSWORD = "secret";
    static final String REALM = "zonegate.test";

    /** One request the relay saw. */
    record Received(StunMethod method, long atNs, boolean signed, String nonce, int channel, long lifetimeSeconds) {
    }

    final List<Received> received = new ArrayList<>();
    final byte[] key = StunCredentials.longTermKey(USER, REALM, PASSWORD);
    final StunParser parser = new StunParser();
    final StunMessageWriter writer = new StunMessageWriter();
    boolean silent;
    int staleNonces;
    int errorCode;
    long lifetimeSeconds = 600;
    String nonce = "nonce-1";
    InetSocketAddress mapped = MAPPED;

    /** The answers to {@code datagram}, recording it; none when silent or not STUN. */
    List<ByteBuffer> handle(ByteBuffer datagram, long nowNs) {
        if (!(parser.parse(datagram, datagram.position(), datagram.remaining())
                instanceof StunParseResult.Parsed(StunMessageView request))) {
            return List.of();
        }
        boolean signed = request.has(StunAttributeType.MESSAGE_INTEGRITY);
        received.add(new Received(request.method(), nowNs, signed, request.nonce(), request.channelNumber(),
                request.lifetimeSeconds()));
        if (silent) {
            return List.of();
        }
        ByteBuffer out = ByteBuffer.allocate(1500);
        if (request.method() == StunMethod.BINDING) {
            writer.beginResponse(out, 0, 1500, request, StunClass.SUCCESS_RESPONSE)
                    .addAddress(StunAttributeType.XOR_MAPPED_ADDRESS, mapped);
            return List.of(out.limit(writer.finish()));
        }
        if (!signed || request.verifyMessageIntegrity(key) != IntegrityCheck.VALID) {
            writer.beginResponse(out, 0, 1500, request, StunClass.ERROR_RESPONSE).addErrorCode(401, "Unauthorized")
                    .addText(StunAttributeType.REALM, REALM).addText(StunAttributeType.NONCE, nonce);
            return List.of(out.limit(writer.finish()));
        }
        if (staleNonces > 0 || !nonce.equals(request.nonce())) {
            staleNonces = Math.max(0, staleNonces - 1);
            nonce = "nonce-" + (received.size() + 1);
            writer.beginResponse(out, 0, 1500, request, StunClass.ERROR_RESPONSE).addErrorCode(438, "Stale Nonce")
                    .addText(StunAttributeType.REALM, REALM).addText(StunAttributeType.NONCE, nonce);
            return List.of(out.limit(writer.finish()));
        }
        if (errorCode != 0) {
            writer.beginResponse(out, 0, 1500, request, StunClass.ERROR_RESPONSE).addErrorCode(errorCode, "No")
                    .addMessageIntegrity(key);
            return List.of(out.limit(writer.finish()));
        }
        writer.beginResponse(out, 0, 1500, request, StunClass.SUCCESS_RESPONSE);
        switch (request.method()) {
            case ALLOCATE -> writer.addAddress(StunAttributeType.XOR_RELAYED_ADDRESS, RELAYED)
                    .addAddress(StunAttributeType.XOR_MAPPED_ADDRESS, mapped).addLifetime(lifetimeSeconds);
            case REFRESH -> writer.addLifetime(lifetimeSeconds);
            default -> { }
        }
        writer.addMessageIntegrity(key).addFingerprint();
        return List.of(out.limit(writer.finish()));
    }

    /** ChannelData from the relay on {@code channel}. */
    static ByteBuffer channelData(int channel, byte[] payload) {
        ByteBuffer out = ByteBuffer.allocate(4 + payload.length);
        ChannelDataWriter.write(out, 0, out.capacity(), channel, ByteBuffer.wrap(payload), 0, payload.length, false);
        return out;
    }

    List<Long> timesOf(StunMethod method) {
        return received.stream().filter(r -> r.method() == method).map(Received::atNs).toList();
    }
}
