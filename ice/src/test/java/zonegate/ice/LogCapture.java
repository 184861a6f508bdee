package zonegate.ice;

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

    /** Lines logged so far that contain {@code needle} (for example an agent's "ice ufrag" tag). */
    static synchronized List<String> linesContaining(String needle) {
        return LINES.stream().filter(l -> l.contains(needle)).toList();
    }

    @Override
    public Collection<LogEntryValue> getRequiredLogEntryValues() {
        return EnumSet.of(LogEntryValue.LEVEL, LogEntryValue.MESSAGE);
    }

    @Override
    public void write(LogEntry entry) {
        synchronized (LogCapture.class) {
            if (LINES.size() >= 200_000) {
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
