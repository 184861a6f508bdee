package zonegate.nat64.internal;

import zonegate.nat64.NatConfig;
import zonegate.packet.IpProtocol;
import zonegate.packet.TcpView;

/**
 * The flows of one client's NAT table: per-flow fields in parallel arrays indexed by flow id, the
 * forward index (protocol, client port or echo id, remote port, proxy address) and the expiry heap.
 *
 * <p>Deadlines are exact but re-keyed lazily: a packet that pushes a deadline later only writes
 * {@link #deadlineNs}; the heap keeps the older, earlier key until that flow reaches the top, where
 * {@link #normalizedTop()} re-files it. A deadline that moves earlier (FIN both ways) is re-keyed at once.
 * So the heap top is always the earliest true deadline, at O(1) per packet.
 */
public final class FlowTable {
    public static final int REPLY_SEEN = 1;
    public static final int FIN_OUT = 2;
    public static final int FIN_IN = 4;
    private static final int BOTH_FINS = FIN_OUT | FIN_IN;
    /** The flow protocol of an ICMP echo, whatever the family (the NAT keys ICMP and ICMPv6 echo alike). */
    public static final int ECHO = IpProtocol.ICMP;

    public final int capacity;
    public final int[] protocol;
    public final int[] clientPort;
    public final int[] remotePort;
    public final int[] localPort;
    public final int[] clientFamily;
    public final int[] remoteFamily;
    public final long[] clientHigh;
    public final long[] clientLow;
    public final long[] proxyHigh;
    public final long[] proxyLow;
    public final long[] remoteHigh;
    public final long[] remoteLow;
    public final int[] state;
    public final int[] sharedHandle;
    public final long[] deadlineNs;
    private final LongKeyIndex forward;
    private final DeadlineHeap heap;
    private final int[] free;
    private int freeCount;
    private final long[] key = new long[3];
    private final NatConfig config;

    public FlowTable(NatConfig config, long seed) {
        this.config = config;
        capacity = config.maxFlows();
        protocol = new int[capacity];
        clientPort = new int[capacity];
        remotePort = new int[capacity];
        localPort = new int[capacity];
        clientFamily = new int[capacity];
        remoteFamily = new int[capacity];
        clientHigh = new long[capacity];
        clientLow = new long[capacity];
        proxyHigh = new long[capacity];
        proxyLow = new long[capacity];
        remoteHigh = new long[capacity];
        remoteLow = new long[capacity];
        state = new int[capacity];
        sharedHandle = new int[capacity];
        deadlineNs = new long[capacity];
        forward = new LongKeyIndex(3, capacity, seed);
        heap = new DeadlineHeap(capacity);
        free = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            free[i] = capacity - 1 - i;
        }
        freeCount = capacity;
    }

    public int size() {
        return capacity - freeCount;
    }

    public boolean isFull() {
        return freeCount == 0;
    }

    public boolean isLive(int flow) {
        return heap.contains(flow);
    }

    /** The live flow for this forward key, or -1. */
    public int find(int flowProtocol, int clientPortOrId, int remotePortOrZero, long proxyHi, long proxyLo) {
        fillKey(flowProtocol, clientPortOrId, remotePortOrZero, proxyHi, proxyLo);
        return forward.find(key);
    }

    /** Takes a free id for a new flow (the caller fills its fields, then {@link #activate}s it), or -1. */
    public int allocate() {
        return freeCount == 0 ? -1 : free[--freeCount];
    }

    /** Returns an id from {@link #allocate} that was never activated. */
    public void unallocate(int flow) {
        free[freeCount++] = flow;
    }

    /** Makes a filled-in flow live, unanswered, expiring {@code unansweredTimeoutNs} from now. */
    public void activate(int flow, long nowNs) {
        fillKey(protocol[flow], clientPort[flow], remotePort[flow], proxyHigh[flow], proxyLow[flow]);
        forward.put(key, flow);
        state[flow] = 0;
        deadlineNs[flow] = nowNs + config.unansweredTimeoutNs();
        heap.add(flow, deadlineNs[flow]);
    }

    /** Releases a live flow (the caller releases its shared handle). */
    public void remove(int flow) {
        forward.remove(flow);
        heap.remove(flow);
        free[freeCount++] = flow;
    }

    /**
     * Records a packet of the flow and moves its deadline: unanswered flows live {@code unanswered} after
     * the last outbound packet; answered ones their protocol's idle timeout after the last packet; once
     * FIN has been seen both ways, a fixed {@code fin} timeout after the second FIN.
     *
     * @return whether the flow ends now (a TCP RST)
     */
    public boolean onPacket(int flow, long nowNs, boolean inbound, int tcpFlags) {
        if ((tcpFlags & TcpView.RST) != 0) {
            return true;
        }
        int before = state[flow];
        int after = before | (inbound ? REPLY_SEEN : 0);
        if ((tcpFlags & TcpView.FIN) != 0) {
            after |= inbound ? FIN_IN : FIN_OUT;
        }
        state[flow] = after;
        long deadline;
        if ((after & BOTH_FINS) == BOTH_FINS) {
            deadline = (before & BOTH_FINS) == BOTH_FINS ? deadlineNs[flow] : nowNs + config.finTimeoutNs();
        } else if ((after & REPLY_SEEN) == 0) {
            deadline = nowNs + config.unansweredTimeoutNs();
        } else {
            deadline = nowNs + establishedTimeoutNs(protocol[flow]);
        }
        deadlineNs[flow] = deadline;
        if (deadline < heap.keyOf(flow)) {
            heap.update(flow, deadline);
        }
        return false;
    }

    /** The flow with the earliest true deadline, or -1 when there are none. */
    public int normalizedTop() {
        while (true) {
            int top = heap.peek();
            if (top < 0 || heap.keyOf(top) == deadlineNs[top]) {
                return top;
            }
            heap.update(top, deadlineNs[top]);
        }
    }

    /** What the deadline of a flow is for, for {@code pollTimeout} reasons and logs. */
    public String deadlineReason(int flow) {
        int s = state[flow];
        if ((s & BOTH_FINS) == BOTH_FINS) {
            return "tcp flow closed by FIN both ways";
        }
        if ((s & REPLY_SEEN) == 0) {
            return "unanswered flow expiry";
        }
        return switch (protocol[flow]) {
            case IpProtocol.TCP -> "tcp flow idle expiry";
            case IpProtocol.UDP -> "udp flow idle expiry";
            default -> "icmp flow idle expiry";
        };
    }

    private long establishedTimeoutNs(int flowProtocol) {
        return switch (flowProtocol) {
            case IpProtocol.TCP -> config.tcpEstablishedTimeoutNs();
            case IpProtocol.UDP -> config.udpTimeoutNs();
            default -> config.icmpTimeoutNs();
        };
    }

    private void fillKey(int flowProtocol, int clientPortOrId, int remotePortOrZero, long proxyHi, long proxyLo) {
        key[0] = (long) flowProtocol << 32 | (long) clientPortOrId << 16 | remotePortOrZero;
        key[1] = proxyHi;
        key[2] = proxyLo;
    }
}
