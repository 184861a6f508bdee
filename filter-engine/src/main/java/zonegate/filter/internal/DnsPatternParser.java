package zonegate.filter.internal;

import java.util.Locale;

/** Validation, compilation and allocation-free matching of DNS patterns (see {@code DnsPattern}). */
public final class DnsPatternParser {
    /** Kind ordinals, in the order of {@code DnsPattern.Kind}. */
    public static final int EXACT = 0;
    public static final int SINGLE_CHARACTER = 1;
    public static final int ONE_LABEL = 2;
    public static final int ANY_LABELS = 3;

    private static final int MAX_NAME_CHARS = 253;
    private static final int MAX_LABEL_CHARS = 63;

    /** A compiled pattern: the labels after any leading wildcard label, left to right. */
    public record Parts(String text, int kind, String[] suffixLabels, int literalLabels, int literalChars) {
    }

    private DnsPatternParser() {
    }

    /** What is wrong with {@code text}, or null if it is a valid pattern. */
    public static String problem(String text) {
        if (text == null || text.isEmpty() || text.equals(".")) {
            return "the pattern is empty";
        }
        String name = strip(text);
        if (name.length() > MAX_NAME_CHARS) {
            return "longer than " + MAX_NAME_CHARS + " characters";
        }
        String[] labels = name.split("\\.", -1);
        for (int i = 0; i < labels.length; i++) {
            String label = labels[i];
            if (label.isEmpty()) {
                return "empty label (two dots in a row, or a leading dot)";
            }
            if (label.length() > MAX_LABEL_CHARS) {
                return "label \"" + label + "\" is longer than " + MAX_LABEL_CHARS + " characters";
            }
            if (label.equals("*") || label.equals("**")) {
                if (i != 0) {
                    return "'" + label + "' is only allowed as the leftmost label";
                }
                if (labels.length == 1) {
                    return "'" + label + "' needs a domain after it, e.g. " + label + ".example.com";
                }
                continue;
            }
            for (int c = 0; c < label.length(); c++) {
                char ch = label.charAt(c);
                if (ch == '*') {
                    return "'*' must be a whole label ('*' or '**'), not part of \"" + label + "\"";
                }
                if (!(ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' || ch == '-' || ch == '_' || ch == '?')) {
                    return "character '" + ch + "' is not allowed (letters, digits, '-', '_', '?'; "
                            + "internationalised names go in their xn-- form)";
                }
            }
        }
        return null;
    }

    /** Compiles a pattern that {@link #problem} accepted. */
    public static Parts compile(String text) {
        String name = strip(text);
        String[] labels = name.split("\\.", -1);
        int kind = labels[0].equals("**") ? ANY_LABELS : labels[0].equals("*") ? ONE_LABEL : EXACT;
        int first = kind == EXACT ? 0 : 1;
        String[] suffix = java.util.Arrays.copyOfRange(labels, first, labels.length);
        int literalLabels = 0;
        int literalChars = 0;
        boolean question = false;
        for (String label : suffix) {
            int questions = (int) label.chars().filter(ch -> ch == '?').count();
            question |= questions > 0;
            literalLabels += questions == 0 ? 1 : 0;
            literalChars += label.length() - questions;
        }
        if (kind == EXACT && question) {
            kind = SINGLE_CHARACTER;
        }
        return new Parts(name, kind, suffix, literalLabels, literalChars);
    }

    /** Lower case (ASCII rules), one trailing dot removed. */
    public static String strip(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    /**
     * Whether {@code domain} matches: the suffix labels must match the domain's last labels, right to
     * left; what is left before them must be nothing (exact), nothing or one label ({@code *}), or
     * anything ({@code **}).
     */
    public static boolean matches(int kind, String[] suffixLabels, CharSequence domain) {
        int end = domain.length();
        if (end > 0 && domain.charAt(end - 1) == '.') {
            end--;
        }
        if (end == 0) {
            return false;
        }
        for (int i = suffixLabels.length - 1; i >= 0; i--) {
            String label = suffixLabels[i];
            int start = end - label.length();
            if (start < 0 || (start > 0 && domain.charAt(start - 1) != '.')) {
                return false;
            }
            if (!labelMatches(label, domain, start)) {
                return false;
            }
            if (start == 0) {
                return i == 0;
            }
            end = start - 1;
        }
        // Labels remain before the matched suffix, in domain[0, end).
        return switch (kind) {
            case ONE_LABEL -> end > 0 && indexOfDot(domain, end) < 0;
            case ANY_LABELS -> end > 0;
            default -> false;
        };
    }

    private static boolean labelMatches(String label, CharSequence domain, int start) {
        for (int c = 0; c < label.length(); c++) {
            char p = label.charAt(c);
            char d = domain.charAt(start + c);
            if (d == '.') {
                return false;
            }
            if (p == '?') {
                continue;
            }
            if (d >= 'A' && d <= 'Z') {
                d = (char) (d + ('a' - 'A'));
            }
            if (p != d) {
                return false;
            }
        }
        return true;
    }

    private static int indexOfDot(CharSequence s, int end) {
        for (int i = 0; i < end; i++) {
            if (s.charAt(i) == '.') {
                return i;
            }
        }
        return -1;
    }
}
