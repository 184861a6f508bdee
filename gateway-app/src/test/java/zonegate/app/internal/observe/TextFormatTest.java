package zonegate.app.internal.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TextFormatTest {
    @Test
    void writtenFamiliesParseBackWithTheirHelpTypeAndValues() {
        String text = TextFormat.write(new MetricsBuilder()
                .counter("zonegate_datagrams_received_total", "UDP datagrams received.", 42)
                .gauge("zonegate_clients", "Clients.", 3)
                .build());

        Map<String, TextFormatParser.Family> families = TextFormatParser.parse(text);

        assertThat(families).containsOnlyKeys("zonegate_datagrams_received_total", "zonegate_clients");
        TextFormatParser.Family datagrams = families.get("zonegate_datagrams_received_total");
        assertThat(datagrams.type()).isEqualTo("counter");
        assertThat(datagrams.help()).isEqualTo("UDP datagrams received.");
        assertThat(datagrams.samples()).singleElement().satisfies(s -> assertThat(s.value()).isEqualTo(42.0));
        assertThat(families.get("zonegate_clients").type()).isEqualTo("gauge");
    }

    @Test
    void labelValuesWithQuotesBackslashesAndNewlinesRoundTrip() {
        String awkward = "a \"quoted\" \\path\\\nsecond line";
        Map<String, Long> values = new LinkedHashMap<>();
        values.put(awkward, 1L);
        values.put("plain", 2L);

        String text = TextFormat.write(new MetricsBuilder().counters("zonegate_x_total", "X.", "reason", values).build());

        List<TextFormatParser.Sample> samples = TextFormatParser.parse(text).get("zonegate_x_total").samples();
        assertThat(samples).extracting(s -> s.labels().get("reason")).containsExactly(awkward, "plain");
        assertThat(text.lines()).hasSize(4);
    }

    @Test
    void helpWithBackslashAndNewlineStaysOnOneLine() {
        String text = TextFormat.write(new MetricsBuilder().gauge("zonegate_g", "one\\two\nthree \"q\"", 1).build());

        assertThat(text.lines().toList()).first().isEqualTo("# HELP zonegate_g one\\\\two\\nthree \"q\"");
        assertThat(TextFormatParser.parse(text).get("zonegate_g").help()).isEqualTo("one\\two\nthree \"q\"");
    }

    @Test
    void valuesAreIntegersWhenIntegralAndSpelledOutWhenSpecial() {
        StringBuilder out = new StringBuilder();
        for (double v : new double[] {7, 0.25, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e20}) {
            TextFormat.number(v, out);
            out.append(' ');
        }

        assertThat(out.toString()).isEqualTo("7 0.25 NaN +Inf -Inf 1.0E20 ");
    }

    @Test
    void aFamilyAddedTwiceIsRefused() {
        MetricsBuilder builder = new MetricsBuilder().counter("zonegate_a_total", "A.", 1);

        assertThatThrownBy(() -> builder.counter("zonegate_a_total", "A.", 2))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void invalidMetricAndLabelNamesAreRefused() {
        assertThatThrownBy(() -> new MetricsBuilder().counter("zonegate-bad", "B.", 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MetricsBuilder().counters("zonegate_b", "B.", "__reserved", Map.of("x", 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void jvmMetricsParseAsTheTextFormat() {
        MetricsBuilder out = new MetricsBuilder();
        new JvmMetrics().collect(out);

        Map<String, TextFormatParser.Family> families = TextFormatParser.parse(TextFormat.write(out.build()));

        assertThat(families).containsKeys("jvm_memory_used_bytes", "jvm_gc_collections_total", "jvm_threads");
        assertThat(families.get("jvm_threads").samples().getFirst().value()).isPositive();
    }
}
