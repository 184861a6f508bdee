package zonegate.tunnel.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import zonegate.packet.IpPacket;

/**
 * The private network behind a simulated gateway's TUN device: every packet the gateway writes to its TUN
 * device is recorded and answered by {@link #answer}, which the test may replace. By default the site's
 * hosts answer an ICMP echo request with an echo reply, echo a UDP datagram back, and answer a TCP SYN with
 * a SYN-ACK, each from the packet's destination to its source with valid checksums; anything else is only
 * recorded.
 */
final class Site {
    /** Every packet the gateway wrote to its TUN device, in order. */
    final List<byte[]> received = new ArrayList<>();
    /** What the site sends back for a packet (null for nothing). */
    Function<byte[], byte[]> answer = Site::answerLikeHosts;

    /** Records the packet and returns the site's answer, or null. */
    byte[] onPacket(byte[] packet) {
        received.add(packet);
        return answer.apply(packet);
    }

    /** The packets received for {@code destination}. */
    List<byte[]> receivedFor(String destination) {
        return received.stream().filter(p -> SimPackets.destination(p).equals(destination)).toList();
    }

    static byte[] answerLikeHosts(byte[] packet) {
        IpPacket p = SimPackets.parse(packet);
        if (SimPackets.isEchoRequest(packet)) {
            return SimPackets.echoReply(packet);
        }
        if (p.udp() != null) {
            return SimPackets.udpEcho(packet);
        }
        if (p.tcp() != null && p.tcp().isSyn() && !p.tcp().isAck()) {
            return SimPackets.synAck(packet);
        }
        return null;
    }
}
