package zonegate.app.internal.observe;

import java.util.List;
import zonegate.app.internal.observe.MetricFamily.Sample;

/**
 * Writes metric families in the Prometheus text exposition format 0.0.4: per family a {@code # HELP} line
 * (backslash and newline escaped), a {@code # TYPE} line, then one {@code name{label="value"} number} line
 * per sample (label values with backslash, double quote and newline escaped). Integral values are written
 * without a fraction, others with Java's shortest round-trip form; {@code NaN}, {@code +Inf}, {@code -Inf}
 * as the format spells them.
 */
public final class TextFormat {
    /** The {@code Content-Type} of a text-format scrape. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private TextFormat() {
    }

    /** The whole exposition of {@code families}, each line ending in {@code \n}. */
    public static String write(List<MetricFamily> families) {
        StringBuilder out = new StringBuilder(families.size() * 128);
        for (MetricFamily family : families) {
            out.append("# HELP ").append(family.name()).append(' ');
            escape(family.help(), false, out);
            out.append("\n# TYPE ").append(family.name()).append(' ').append(family.type().text()).append('\n');
            for (Sample sample : family.samples()) {
                out.append(family.name());
                if (sample.labelName() != null) {
                    out.append('{').append(sample.labelName()).append("=\"");
                    escape(sample.labelValue(), true, out);
                    out.append("\"}");
                }
                out.append(' ');
                number(sample.value(), out);
                out.append('\n');
            }
        }
        return out.toString();
    }

    static void number(double value, StringBuilder out) {
        if (Double.isNaN(value)) {
            out.append("NaN");
        } else if (Double.isInfinite(value)) {
            out.append(value > 0 ? "+Inf" : "-Inf");
        } else if (value == Math.rint(value) && Math.abs(value) < 0x1p53) {
            out.append((long) value);
        } else {
            out.append(value);
        }
    }

    private static void escape(String text, boolean quote, StringBuilder out) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '"' -> out.append(quote ? "\\\"" : "\"");
                default -> out.append(c);
            }
        }
    }
}
