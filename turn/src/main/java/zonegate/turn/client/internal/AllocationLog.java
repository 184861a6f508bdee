package zonegate.turn.client.internal;

import org.tinylog.Logger;

/**
 * The allocation's log: state changes only, never per packet or per tick. Counts its lines so tests
 * can prove that a steady state logs nothing.
 */
public final class AllocationLog {
    private long lines;

    /** A state change worth an operator's attention at INFO. */
    public void info(String format, Object... args) {
        lines++;
        Logger.info(format, args);
    }

    /** A state change at DEBUG. */
    public void debug(String format, Object... args) {
        lines++;
        Logger.debug(format, args);
    }

    /** A condition an operator should act on. */
    public void warn(String format, Object... args) {
        lines++;
        Logger.warn(format, args);
    }

    /** Lines logged so far. */
    public long lines() {
        return lines;
    }
}
