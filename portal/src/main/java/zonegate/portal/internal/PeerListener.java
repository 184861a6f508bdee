package zonegate.portal.internal;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.tinylog.Logger;
import zonegate.controlplane.DecodeResult;
import zonegate.controlplane.Frame;
import zonegate.controlplane.PortalCodec;
import zonegate.controlplane.PortalMessage;
import zonegate.portal.Role;
import zonegate.portal.SessionId;

/**
 * One socket of one role: authenticates the upgrade, then feeds decoded frames to the state. A refused
 * upgrade is completed, answered with one error frame and closed (4001, or 4000 for a bad query).
 */
public final class PeerListener implements WsListener {
    private static final HeaderName AUTHORIZATION = HeaderNames.create("X-Authorization");
    private static final AtomicLong NEXT_ID = new AtomicLong(1);

    private final Role role;
    private final StateLoop loop;
    private final Refusals refusals;
    private UpgradeRequest request;
    private SessionId id;

    public PeerListener(Role role, StateLoop loop, Refusals refusals) {
        this.role = role;
        this.loop = loop;
        this.refusals = refusals;
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) {
        String authorization = headers.first(AUTHORIZATION).orElse(null);
        request = UpgradeRequest.check(loop.policy(), role, authorization,
                name -> prologue.query().contains(name) ? prologue.query().all(name) : List.of());
        return Optional.empty();
    }

    @Override
    public void onOpen(WsSession session) {
        switch (request) {
            case UpgradeRequest.Refused refused -> {
                refusals.refused(source(session), role.topic(), refused.reason(), refused.detail(), System.nanoTime());
                session.send(PortalCodec.encode(new Frame(role.topic(), null,
                        new PortalMessage.Reply(false, refused.reason()))), true);
                session.close(refused.closeCode(), refused.reason());
            }
            case UpgradeRequest.Accepted accepted -> {
                id = new SessionId(NEXT_ID.getAndIncrement());
                Logger.debug("portal: {} {} upgraded from {} (calls itself {})", role.topic(), accepted.identity(),
                        source(session), accepted.selfName());
                loop.connect(id, new PeerWriter(id, session, loop), role, accepted.identity(), accepted.publicKey(),
                        accepted.relayAddresses());
            }
        }
    }

    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        if (id == null) {
            return;
        }
        switch (PortalCodec.decode(text, role.fromPeer())) {
            case DecodeResult.Decoded decoded -> loop.onFrame(id, decoded.frame());
            case DecodeResult.UnknownEvent unknown ->
                    Logger.debug("portal: unknown event {} from {} {}", unknown.event(), role.topic(), id);
            case DecodeResult.Rejected rejected ->
                    Logger.debug("portal: bad frame from {} {}: {}", role.topic(), id, rejected.reason());
        }
    }

    @Override
    public void onMessage(WsSession session, BufferData buffer, boolean last) {
        Logger.debug("portal: binary frame from {} {} ignored", role.topic(), id);
    }

    @Override
    public void onClose(WsSession session, int status, String reason) {
        if (id != null) {
            loop.disconnect(id);
        }
    }

    @Override
    public void onError(WsSession session, Throwable t) {
        Logger.debug("portal: socket error on {} {}: {}", role.topic(), id, t.toString());
        if (id != null) {
            loop.disconnect(id);
        }
    }

    private static String source(WsSession session) {
        try {
            return session.socketContext().remotePeer().host();
        } catch (RuntimeException unknown) {
            return "unknown";
        }
    }
}
