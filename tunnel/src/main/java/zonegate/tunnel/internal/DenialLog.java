package zonegate.tunnel.internal;

import java.util.Arrays;
import org.tinylog.Logger;
import zonegate.filter.Decision;
import zonegate.filter.ResourceId;

/**
 * Logs a denial at DEBUG once per (client, resource, verdict, protocol, port) rather than per packet: a
 * direct-mapped set of the keys logged recently. A key pushed out by another is logged again when it
 * recurs; {@link #clear()} (on every policy change) makes every denial worth one line again.
 */
public final class DenialLog {
    private final long[] keysA;
    private final long[] keysB;
    private final int mask;

    /** @param slots a power of two */
    public DenialLog(int slots) {
        this.keysA = new long[slots];
        this.keysB = new long[slots];
        this.mask = slots - 1;
    }

    /** Logs the denial if its key was not logged recently. Allocates only when it logs. */
    public void onDenied(ClientEntry client, Decision decision) {
        ResourceId resource = decision.resourceId();
        // +1 keeps every key non-zero, so an empty slot (0, 0) never matches.
        long a = (long) (client.serial + 1) << 32 | (resource == null ? 0 : resource.value().hashCode()) & 0xFFFF_FFFFL;
        long b = (long) (decision.verdict().ordinal() + 1) << 40 | (long) decision.protocol() << 24
                | decision.destinationPort() & 0xFF_FFFFL;
        int slot = (int) mix(a * 31 + b) & mask;
        if (keysA[slot] == a && keysB[slot] == b) {
            return;
        }
        keysA[slot] = a;
        keysB[slot] = b;
        if (Logger.isDebugEnabled()) {
            Logger.debug("cid={} rid={} denied: {}", client.id, resource, decision.reason());
        }
    }

    public void clear() {
        Arrays.fill(keysA, 0);
        Arrays.fill(keysB, 0);
    }

    private static long mix(long x) {
        x = (x ^ (x >>> 33)) * 0xff51afd7ed558ccdL;
        return x ^ (x >>> 29);
    }
}
