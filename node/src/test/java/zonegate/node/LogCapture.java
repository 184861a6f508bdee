package zonegate.node;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.tinylog.core.LogEntry;
import org.tinylog.core.LogEntryValue;
import org.tinylog.writers.Writer;

/**
 * A tinylog writer that keeps every line in memory ("LEVEL message"), configured by
 * {@code tinylog-test.properties}. Public because tinylog instantiates it reflectively.
 */
public final class LogCapture implements Writer {
    private static final List<String> LINES = new ArrayList<>();

    /** Called by tinylog. */
    public LogCapture(Map<String, String> properties) {
    }

    /** How many lines were logged so far (a mark for {@link #since}). */
    static synchronized int mark() {
        return LINES.size();
    }

    /** The lines logged since {@code mark}. */
    static synchronized List<String> since(int mark) {
        return List.copyOf(LINES.subList(Math.min(mark, LINES.size()), LINES.size()));
    }

    @Override
    public Collection<LogEntryValue> getRequiredLogEntryValues() {
        return EnumSet.of(LogEntryValue.LEVEL, LogEntryValue.MESSAGE);
    }

    @Override
    public void write(LogEntry entry) {
        synchronized (LogCapture.class) {
            if (LINES.size() >= 500_000) {
                LINES.clear(); // fuzzing runs long; tests look at recent lines only
            }
            LINES.add(entry.getLevel() + " " + entry.getMessage());
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
