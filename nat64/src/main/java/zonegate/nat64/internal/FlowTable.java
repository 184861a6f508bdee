package zonegate.nat64.internal;

import java.util.Arrays;
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

    /** Flows held at most; the arrays start smaller and double as flows need them ({@link #allocated}). */
    public final int capacity;
    /** Flow ids allocated at first. */
    static final int INITIAL_FLOWS = 256;
    public int[] protocol;
    public int[] clientPort;
    public int[] remotePort;
    public int[] localPort;
    public int[] clientFamily;
    public int[] remoteFamily;
    public long[] clientHigh;
    public long[] clientLow;
    public long[] proxyHigh;
    public long[] proxyLow;
    public long[] remoteHigh;
    public long[] remoteLow;
    public int[] state;
    public int[] sharedHandle;
    public long[] deadlineNs;
    private final LongKeyIndex forward;
    private final DeadlineHeap heap;
    private int[] free;
    private int freeCount;
    private final long[] key = new long[3];
    private final NatConfig config;

    public FlowTable(NatConfig config, long seed) {
        this.config = config;
        capacity = config.maxFlows();
        int initial = Math.min(capacity, INITIAL_FLOWS);
        protocol = new int[initial];
        clientPort = new int[initial];
        remotePort = new int[initial];
        localPort = new int[initial];
        clientFamily = new int[initial];
        remoteFamily = new int[initial];
        clientHigh = new long[initial];
        clientLow = new long[initial];
        proxyHigh = new long[initial];
        proxyLow = new long[initial];
        remoteHigh = new long[initial];
        remoteLow = new long[initial];
        state = new int[initial];
        sharedHandle = new int[initial];
        deadlineNs = new long[initial];
        forward = new LongKeyIndex(3, initial, seed);
        heap = new DeadlineHeap(initial);
        free = new int[initial];
        for (int i = 0; i < initial; i++) {
            free[i] = initial - 1 - i;
        }
        freeCount = initial;
    }

    /** Flow ids allocated so far: every id is below this. */
    public int allocated() {
        return protocol.length;
    }

    public int size() {
        return allocated() - freeCount;
    }

    public boolean isFull() {
        return size() == capacity;
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
        if (freeCount == 0) {
            if (allocated() == capacity) {
                return -1;
            }
            grow((int) Math.min(capacity, 2L * allocated()));
        }
        return free[--freeCount];
    }

    private void grow(int flows) {
        int old = allocated();
        protocol = Arrays.copyOf(protocol, flows);
        clientPort = Arrays.copyOf(clientPort, flows);
        remotePort = Arrays.copyOf(remotePort, flows);
        localPort = Arrays.copyOf(localPort, flows);
        clientFamily = Arrays.copyOf(clientFamily, flows);
        remoteFamily = Arrays.copyOf(remoteFamily, flows);
        clientHigh = Arrays.copyOf(clientHigh, flows);
        clientLow = Arrays.copyOf(clientLow, flows);
        proxyHigh = Arrays.copyOf(proxyHigh, flows);
        proxyLow = Arrays.copyOf(proxyLow, flows);
        remoteHigh = Arrays.copyOf(remoteHigh, flows);
        remoteLow = Arrays.copyOf(remoteLow, flows);
        state = Arrays.copyOf(state, flows);
        sharedHandle = Arrays.copyOf(sharedHandle, flows);
        deadlineNs = Arrays.copyOf(deadlineNs, flows);
        forward.grow(flows);
        heap.grow(flows);
        free = Arrays.copyOf(free, flows);
        for (int flow = flows - 1; flow >= old; flow--) {
            free[freeCount++] = flow;
        }
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
