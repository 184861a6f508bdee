package zonegate.app.internal.log;

/** How log lines are written: readable text, or one JSON object per line. */
public enum LogFormat {
    TEXT,
    JSON
}
