package zonegate.app.internal.observe;

/** The Prometheus metric types zonegate writes (text format 0.0.4 {@code # TYPE} values). */
public enum MetricType {
    /** A value that only grows (reset only when the process restarts); names end in {@code _total}. */
    COUNTER("counter"),
    /** A value that goes up and down (a size, a fraction, a current amount). */
    GAUGE("gauge");

    private final String text;

    MetricType(String text) {
        this.text = text;
    }

    /** The word after the name in a {@code # TYPE} line. */
    public String text() {
        return text;
    }
}
