package zonegate.shell.loop;

import java.util.concurrent.atomic.LongAdder;

/**
 * What one UDP socket of the loop carried, readable from any thread; {@link LoopCounters#socket} by the
 * socket's index in the list the loop was created with. The loop's totals are the sums of these.
 */
public final class SocketCounters {
    final LongAdder datagramsIn = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    final LongAdder datagramsOut = new LongAdder();
    final LongAdder bytesOut = new LongAdder();

    SocketCounters() {
    }

    /** Datagrams received on this socket (truncated ones included). */
    public long datagramsIn() {
        return datagramsIn.sum();
    }

    /** UDP payload bytes received on this socket. */
    public long bytesIn() {
        return bytesIn.sum();
    }

    /** Datagrams this socket handed to the kernel (not those it refused). */
    public long datagramsOut() {
        return datagramsOut.sum();
    }

    /** UDP payload bytes of the datagrams this socket handed to the kernel (those it refused included). */
    public long bytesOut() {
        return bytesOut.sum();
    }
}
