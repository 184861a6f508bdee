package zonegate.filter;

import java.util.Comparator;
import zonegate.filter.internal.DnsPatternParser;

/**
 * A DNS name or wildcard pattern, matched case-insensitively (ASCII) against domain names, ignoring
 * one trailing dot on either side.
 *
 * <ul>
 *   <li>{@code ?} matches exactly one character within a label: {@code ap?.example.com} matches
 *       {@code app.example.com}, not {@code ap.example.com}.</li>
 *   <li>{@code *}, as the leftmost label only, matches exactly one label <em>or none</em> (the apex):
 *       {@code *.example.com} matches {@code a.example.com} and {@code example.com}, not
 *       {@code a.b.example.com}.</li>
 *   <li>{@code **}, as the leftmost label only, matches any number of labels, including none:
 *       {@code **.example.com} matches {@code example.com}, {@code a.example.com},
 *       {@code a.b.example.com}.</li>
 * </ul>
 *
 * <p>Rules checked when the pattern is built (at configuration time, never per packet): not empty; at
 * most 253 characters and 63 per label; no empty label; labels of letters, digits, {@code -},
 * {@code _} and {@code ?} only (internationalised names go in their {@code xn--} form); {@code *} and
 * {@code **} only as a whole, leftmost label, followed by at least one label.
 *
 * <h2>Specificity</h2>
 * {@link #SPECIFICITY} orders patterns from most to least specific, for the routing tie-break among
 * DNS resources matching one domain: first by kind (an exact name, then a name with {@code ?}, then
 * {@code *.}, then {@code **.}), then by more literal labels (labels without any wildcard), then by
 * more literal characters (characters other than {@code ?} outside the leading wildcard). Patterns
 * equal in all three tie, and the resource id decides.
 *
 * <pre>{@code
 * switch (DnsPattern.validate(text)) {
 *     case DnsPattern.Validation.Valid(DnsPattern pattern) -> use(pattern);
 *     case DnsPattern.Validation.Invalid(String input, String message) -> refuse(message);
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class DnsPattern {
    /** Most specific first; see the class documentation. Consistent with equals only up to ties. */
    public static final Comparator<DnsPattern> SPECIFICITY = Comparator
            .comparingInt((DnsPattern p) -> p.kind.ordinal())
            .thenComparing(Comparator.comparingInt((DnsPattern p) -> p.literalLabels).reversed())
            .thenComparing(Comparator.comparingInt((DnsPattern p) -> p.literalChars).reversed());

    /** What a pattern starts with, from most to least specific. */
    public enum Kind {
        /** No wildcard at all. */
        EXACT,
        /** At least one {@code ?}, no leading {@code *} or {@code **}. */
        SINGLE_CHARACTER,
        /** A leading {@code *} label (one label or the apex). */
        ONE_LABEL,
        /** A leading {@code **} label (any number of labels). */
        ANY_LABELS
    }

    /** The outcome of {@link #validate}. */
    public sealed interface Validation {
        /** The text is a valid pattern. */
        record Valid(DnsPattern pattern) implements Validation {
        }

        /** The text is not a valid pattern, for the reason in {@code message}. */
        record Invalid(String input, String message) implements Validation {
        }
    }

    private final String text;
    private final Kind kind;
    private final String[] suffixLabels;
    private final int literalLabels;
    private final int literalChars;

    private DnsPattern(DnsPatternParser.Parts parts) {
        this.text = parts.text();
        this.kind = Kind.values()[parts.kind()];
        this.suffixLabels = parts.suffixLabels();
        this.literalLabels = parts.literalLabels();
        this.literalChars = parts.literalChars();
    }

    /** Checks and compiles {@code text}; never throws for bad text. */
    public static Validation validate(String text) {
        String problem = DnsPatternParser.problem(text);
        if (problem != null) {
            return new Validation.Invalid(text, "invalid DNS pattern \"" + text + "\": " + problem);
        }
        return new Validation.Valid(new DnsPattern(DnsPatternParser.compile(text)));
    }

    /**
     * Like {@link #validate}, for configuration code that treats a bad pattern as an error.
     *
     * @throws IllegalArgumentException with the reason, if {@code text} is not a valid pattern
     */
    public static DnsPattern of(String text) {
        return switch (validate(text)) {
            case Validation.Valid(DnsPattern pattern) -> pattern;
            case Validation.Invalid(String input, String message) -> throw new IllegalArgumentException(message);
        };
    }

    /**
     * Whether {@code domain} (a name such as {@code "App.Example.com."}) matches. Allocation-free;
     * linear in the domain's length. A malformed domain simply does not match.
     */
    public boolean matches(CharSequence domain) {
        return DnsPatternParser.matches(kind.ordinal(), suffixLabels, domain);
    }

    /** The normalised text: lower case, no trailing dot. */
    public String text() {
        return text;
    }

    public Kind kind() {
        return kind;
    }

    /** Labels that are neither {@code *}/{@code **} nor contain {@code ?}. */
    public int literalLabels() {
        return literalLabels;
    }

    /** Characters other than {@code ?} in the labels after any leading {@code *}/{@code **}. */
    public int literalChars() {
        return literalChars;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DnsPattern p && p.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
