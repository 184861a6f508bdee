package zonegate.app.internal.log;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Map;
import org.tinylog.core.LogEntry;
import org.tinylog.core.LogEntryValue;
import org.tinylog.writers.Writer;

/**
 * A tinylog writer that prints one JSON object per line: {@code time}, {@code level}, {@code thread},
 * {@code logger}, {@code msg}, the thread-context fields (such as {@code cid}, {@code gid}) and
 * {@code exception}. Writes to standard error, or to the file named by the {@code file} property.
 *
 * <p>Configured by name as {@code writer=json line}; tinylog creates it reflectively.
 */
public final class JsonLineWriter implements Writer {
    private final OutputStream out;
    private final boolean ownsStream;
    private final StringBuilder line = new StringBuilder(256);

    /** Called by tinylog with the writer's properties. */
    public JsonLineWriter(Map<String, String> properties) throws IOException {
        String file = properties.get("file");
        if (file == null) {
            out = System.err;
            ownsStream = false;
        } else {
            out = new PrintStream(new FileOutputStream(file, true), false, StandardCharsets.UTF_8);
            ownsStream = true;
        }
    }

    @Override
    public Collection<LogEntryValue> getRequiredLogEntryValues() {
        return EnumSet.of(LogEntryValue.DATE, LogEntryValue.LEVEL, LogEntryValue.THREAD,
                LogEntryValue.CLASS, LogEntryValue.MESSAGE, LogEntryValue.EXCEPTION, LogEntryValue.CONTEXT);
    }

    @Override
    public void write(LogEntry entry) throws IOException {
        line.setLength(0);
        line.append("{\"time\":\"")
                .append(DateTimeFormatter.ISO_INSTANT.format(entry.getTimestamp().toInstant()))
                .append("\",\"level\":\"").append(entry.getLevel()).append('"');
        field("thread", entry.getThread() == null ? null : entry.getThread().getName());
        field("logger", entry.getClassName());
        field("msg", entry.getMessage());
        for (Map.Entry<String, String> context : entry.getContext().entrySet()) {
            field(context.getKey(), context.getValue());
        }
        if (entry.getException() != null) {
            field("exception", stackTrace(entry.getException()));
        }
        line.append("}\n");
        out.write(line.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.flush();
        if (ownsStream) {
            out.close();
        }
    }

    private void field(String name, String value) {
        if (value == null) {
            return;
        }
        line.append(",\"");
        JsonText.escape(name, line);
        line.append("\":\"");
        JsonText.escape(value, line);
        line.append('"');
    }

    private static String stackTrace(Throwable t) {
        var text = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(text));
        return text.toString();
    }
}
