package zonegate.app.internal.gateway;

import zonegate.shell.loop.EventLoopConfig;

/**
 * The event loop configuration of the tunnel endpoints: the gateway (both modes, and embedded) and the client.
 *
 * <p>State-thread I/O: the state thread reads the TUN queues and sockets and writes them itself, so a packet
 * costs one thread wake-up instead of one per hand-off (reader, state thread, writer, poller). And no spinning
 * or yielding between cycles: an idle cycle sleeps in the epoll set at once, which answers as fast as a spin
 * on these machines and leaves the core to other processes. Measured with {@code gateway-iperf3.sh}
 * alternating the settings in one run (README "Performance"): 25-35 % less CPU per GB than reader and writer
 * threads, 5-10 % less than spinning 100 cycles and yielding 10.
 *
 * <p>UDP_GRO on the sockets: a GSO sender's runs (the zonegate client's and gateway's) arrive as one
 * super-datagram per run. Measured with {@code udp-gro-ab.sh} (README "UDP_GRO on the sockets"): about 30x
 * fewer receives and 20-30 % less gateway CPU per GB with a zonegate client, no difference beyond the noise
 * with Debian's wireguard-go client, whose datagrams the kernel does not aggregate. {@code -Dzonegate.udpGro=false}
 * turns it off (what the script compares against).
 *
 * <p>ACK thinning on the TUN writes: of the TCP ACKs bound for a host in one batch, those a later ACK of the
 * same flow supersedes are left out, so the host's TCP stack (whose work runs in the softirq of the
 * gateway's write) takes one instead of several. Measured with {@code gateway-iperf3.sh} off and on back to
 * back, and alternating fresh gateways in one setup (README "ACK thinning on TUN writes"): with a
 * wireguard-go client downloading, about a third less gateway CPU per GB and a fifth to a quarter more
 * throughput. {@code -Dzonegate.ackThinning=false} turns it off.
 */
public final class DataPathLoop {
    /**
     * {@code EventLoopConfig.defaults().withStateThreadIo().withIdle(0, 0).withUdpGro(true).withAckThinning(true)},
     * GRO and thinning each unless its property says false.
     */
    public static final EventLoopConfig CONFIG = EventLoopConfig.defaults().withStateThreadIo().withIdle(0, 0)
            .withUdpGro(!"false".equals(System.getProperty("zonegate.udpGro")))
            .withAckThinning(!"false".equals(System.getProperty("zonegate.ackThinning")));

    private DataPathLoop() {
    }
}
