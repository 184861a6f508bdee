package zonegate.app.internal.observe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text format 0.0.4 for tests: {@code # HELP}, {@code # TYPE} and sample
 * lines with at most the label syntax zonegate writes (any number of labels, escaped values). Throws on a
 * line it cannot read, a sample without its TYPE before it, or a family declared twice.
 */
final class TextFormatParser {
    private static final Pattern HELP = Pattern.compile("# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)");
    private static final Pattern TYPE = Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) "
            + "(counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? "
            + "(NaN|[+-]Inf|[-+]?[0-9]*\\.?[0-9]+([eE][-+]?[0-9]+)?)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\",?");

    record Sample(String name, Map<String, String> labels, double value) {
    }

    record Family(String name, String help, String type, List<Sample> samples) {
    }

    private TextFormatParser() {
    }

    static Map<String, Family> parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the last line has no newline");
        }
        Map<String, Family> families = new LinkedHashMap<>();
        Map<String, String> helps = new LinkedHashMap<>();
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            Matcher m;
            if ((m = HELP.matcher(line)).matches()) {
                if (helps.put(m.group(1), unescape(m.group(2), false)) != null) {
                    throw new IllegalArgumentException("HELP twice: " + line);
                }
            } else if ((m = TYPE.matcher(line)).matches()) {
                if (families.containsKey(m.group(1))) {
                    throw new IllegalArgumentException("TYPE twice: " + line);
                }
                families.put(m.group(1), new Family(m.group(1), helps.get(m.group(1)), m.group(2), new ArrayList<>()));
            } else if ((m = SAMPLE.matcher(line)).matches()) {
                Family family = families.get(m.group(1));
                if (family == null) {
                    throw new IllegalArgumentException("sample before its TYPE: " + line);
                }
                family.samples().add(new Sample(m.group(1), labels(m.group(3), line), value(m.group(4))));
            } else {
                throw new IllegalArgumentException("not a text-format line: " + line);
            }
        }
        return families;
    }

    private static Map<String, String> labels(String body, String line) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (body == null) {
            return labels;
        }
        Matcher m = LABEL.matcher(body);
        int at = 0;
        while (at < body.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("bad labels: " + line);
            }
            labels.put(m.group(1), unescape(m.group(2), true));
            at = m.end();
        }
        return labels;
    }

    private static double value(String text) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    private static String unescape(String text, boolean quoted) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char next = text.charAt(++i);
            switch (next) {
                case '\\' -> out.append('\\');
                case 'n' -> out.append('\n');
                case '"' -> {
                    if (!quoted) {
                        throw new IllegalArgumentException("escaped quote in HELP: " + text);
                    }
                    out.append('"');
                }
                default -> throw new IllegalArgumentException("bad escape in " + text);
            }
        }
        return out.toString();
    }
}
