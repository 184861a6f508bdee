package zonegate.app.internal.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import zonegate.app.internal.observe.MetricFamily.Sample;

/**
 * Collects the metric families of one scrape. Not thread-safe: one builder per scrape. A family added twice
 * under the same name is a programming error (the text format allows one block per name).
 */
public final class MetricsBuilder {
    private final List<MetricFamily> families = new ArrayList<>();

    /** An unlabelled counter. */
    public MetricsBuilder counter(String name, String help, double value) {
        return add(new MetricFamily(name, help, MetricType.COUNTER, List.of(Sample.of(value))));
    }

    /** An unlabelled gauge. */
    public MetricsBuilder gauge(String name, String help, double value) {
        return add(new MetricFamily(name, help, MetricType.GAUGE, List.of(Sample.of(value))));
    }

    /**
     * A counter with one sample per {@code values} entry, labelled {@code labelName="key"}, in the map's
     * iteration order. An enum's {@link Enum#name()}s lower-cased are the usual keys (a bounded set).
     */
    public MetricsBuilder counters(String name, String help, String labelName, Map<String, ? extends Number> values) {
        return labelled(name, help, MetricType.COUNTER, labelName, values);
    }

    /** A gauge with one sample per {@code values} entry, labelled {@code labelName="key"}. */
    public MetricsBuilder gauges(String name, String help, String labelName, Map<String, ? extends Number> values) {
        return labelled(name, help, MetricType.GAUGE, labelName, values);
    }

    /** Adds a family as is. */
    public MetricsBuilder add(MetricFamily family) {
        for (MetricFamily existing : families) {
            if (existing.name().equals(family.name())) {
                throw new IllegalArgumentException("metric " + family.name() + " added twice");
            }
        }
        families.add(family);
        return this;
    }

    /** The families added so far, in order. */
    public List<MetricFamily> build() {
        return List.copyOf(families);
    }

    private MetricsBuilder labelled(String name, String help, MetricType type, String labelName,
                                    Map<String, ? extends Number> values) {
        if (values.isEmpty()) {
            return this;
        }
        List<Sample> samples = new ArrayList<>(values.size());
        values.forEach((key, value) -> samples.add(new Sample(labelName, key, value.doubleValue())));
        return add(new MetricFamily(name, help, type, samples));
    }
}
