package zonegate.app.internal.observe;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One metric with its help text, type and samples: what one {@code # HELP}/{@code # TYPE} block of the text
 * format holds. Every sample carries at most one label, from a bounded set (an enum's names, a GC's name), so
 * the number of series stays fixed whatever the traffic.
 *
 * @param name {@code [a-zA-Z_:][a-zA-Z0-9_:]*}, {@code zonegate_*} or {@code jvm_*}, units in the name
 * @param help one line of prose (escaped when written)
 * @param samples at least one
 */
public record MetricFamily(String name, String help, MetricType type, List<Sample> samples) {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    public MetricFamily {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(help, "help");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a metric name: " + name);
        }
        samples = List.copyOf(samples);
        if (samples.isEmpty()) {
            throw new IllegalArgumentException(name + " has no sample");
        }
    }

    /**
     * One value, with one label or none.
     *
     * @param labelName null for an unlabelled sample, else {@code [a-zA-Z_][a-zA-Z0-9_]*}
     * @param labelValue any text (escaped when written); null exactly when {@code labelName} is
     */
    public record Sample(String labelName, String labelValue, double value) {
        public Sample {
            if ((labelName == null) != (labelValue == null)) {
                throw new IllegalArgumentException("a label needs both a name and a value");
            }
            if (labelName != null && (!LABEL.matcher(labelName).matches() || labelName.startsWith("__"))) {
                throw new IllegalArgumentException("not a label name: " + labelName);
            }
        }

        /** An unlabelled sample. */
        public static Sample of(double value) {
            return new Sample(null, null, value);
        }
    }
}
