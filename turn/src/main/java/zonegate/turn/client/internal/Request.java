package zonegate.turn.client.internal;

import java.net.InetSocketAddress;

/** What an in-flight STUN request to the relay asked for; the response handler switches over it. */
public sealed interface Request {

    /** BINDING: learns the server-reflexive address and keeps the NAT binding open. */
    record Binding() implements Request {
    }

    /** ALLOCATE (RFC 8656 section 7.1). */
    record Allocate() implements Request {
    }

    /** REFRESH with a LIFETIME in seconds (RFC 8656 section 8.1). */
    record Refresh(long lifetimeSeconds) implements Request {
    }

    /** CHANNEL-BIND of {@code channel} to {@code peer} (RFC 8656 section 12.1). */
    record ChannelBind(InetSocketAddress peer, int channel) implements Request {
    }
}
