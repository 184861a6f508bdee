package zonegate.tunnel.sim;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * One machine of a {@link TunnelSim}: a sans-IO state machine with one UDP socket, optionally behind a
 * {@link Nat}. The net delivers datagrams to it, runs its timeouts when due and drains its outputs until
 * nothing moves. The gateway ({@link GatewayHost}) and a plain client node ({@link ClientHost}) are hosts;
 * the client state machine will be a third, with the same five calls.
 */
interface SimHost {
    String name();

    /** The host's own socket (a private address when it is behind a NAT). */
    InetSocketAddress socket();

    /** The NAT in front of it, or null for a public address. */
    Nat nat();

    /** A datagram for the socket, from {@code from} (after the NAT). */
    void receive(InetSocketAddress from, ByteBuffer datagram, long nowNs);

    /** The earliest deadline, or {@link Long#MAX_VALUE}. */
    long pollTimeout();

    void handleTimeout(long nowNs);

    /** Sends what the machine queued and handles its events and packets; true if anything came out. */
    boolean drain(long nowNs);
}
