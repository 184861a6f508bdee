package zonegate.shell.loop;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import zonegate.packet.PooledBuffer;

/**
 * A fake gateway for the loop tests: echoes each datagram to its sender (or forwards it to
 * {@link #forwardTo}), reflects each IPv4 UDP packet from the TUN device back into it with addresses and
 * ports swapped (checksums stay valid: the same words are summed), and throws on datagrams whose first
 * byte is {@link #MALFORMED}. Records what it saw, in order.
 */
final class EchoDriver implements StateMachineDriver {
    static final byte MALFORMED = (byte) 0xEE;

    final List<String> events = new CopyOnWriteArrayList<>();
    volatile InetSocketAddress forwardTo;
    volatile boolean stopped;
    /** What {@link #nextDeadlineNs()} says; a timeout records its time and clears it. */
    volatile long deadlineNs = Long.MAX_VALUE;
    final List<Long> timeoutsNs = new CopyOnWriteArrayList<>();
    /** Runs after a command is recorded (on the state thread), e.g. to submit from within a cycle. */
    volatile java.util.function.Consumer<Object> afterCommand = command -> { };
    private Outbound out;

    @Override
    public void onStart(Outbound outbound, long nowNs) {
        out = outbound;
    }

    @Override
    public void onCommand(Object command, long nowNs) {
        events.add("command " + command);
        afterCommand.accept(command);
    }

    @Override
    public boolean onDatagram(int socketIndex, InetSocketAddress from, PooledBuffer datagram, long nowNs) {
        events.add("datagram " + socketIndex);
        ByteBuffer bytes = datagram.buffer();
        if (bytes.remaining() > 0 && bytes.get(bytes.position()) == MALFORMED) {
            throw new IllegalArgumentException("malformed test datagram");
        }
        InetSocketAddress to = forwardTo;
        out.sendDatagram(socketIndex, to != null ? to : from, datagram);
        return true;
    }

    @Override
    public boolean onDevicePacket(int queueIndex, PooledBuffer packet, long nowNs) {
        ByteBuffer bytes = packet.buffer();
        int at = bytes.position();
        if (bytes.remaining() < 28 || (bytes.get(at) & 0xF0) != 0x40 || bytes.get(at + 9) != 17) {
            return false;                                       // IPv6 router solicitations and the like
        }
        events.add("device " + queueIndex);
        int source = bytes.getInt(at + 12);
        bytes.putInt(at + 12, bytes.getInt(at + 16)).putInt(at + 16, source);
        int udp = at + (bytes.get(at) & 0x0F) * 4;
        int ports = bytes.getInt(udp);
        bytes.putInt(udp, ports >>> 16 | ports << 16);
        // Linux steers a flow's packets to the TUN queue its replies were last written to (tun automq,
        // with a symmetric flow hash), so writing a flow back on the queue it came from keeps it there;
        // moving it would let the two queues' readers reorder it.
        out.writeToDevice(queueIndex, packet);
        return true;
    }

    @Override
    public void onTimeout(long nowNs) {
        timeoutsNs.add(nowNs);
        deadlineNs = Long.MAX_VALUE;
    }

    @Override
    public long nextDeadlineNs() {
        return deadlineNs;
    }

    @Override
    public void onStop(long nowNs) {
        stopped = true;
    }
}
