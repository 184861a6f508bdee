package zonegate.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DnsPatternTest {

    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource({
            "example.com,          example.com,          true",
            "example.com,          a.example.com,        false",
            "example.com,          xample.com,           false",
            "example.com,          Example.COM,          true",
            "example.com,          example.com.,         true",
            "Example.Com.,         example.com,          true",
            "*.example.com,        a.example.com,        true",
            "*.example.com,        example.com,          true",
            "*.example.com,        a.b.example.com,      false",
            "*.example.com,        aexample.com,         false",
            "*.example.com,        A.Example.Com.,       true",
            "**.example.com,       example.com,          true",
            "**.example.com,       a.example.com,        true",
            "**.example.com,       a.b.example.com,      true",
            "**.example.com,       a.b.c.d.example.com,  true",
            "**.example.com,       example.org,          false",
            "**.example.com,       badexample.com,       false",
            "ap?.example.com,      app.example.com,      true",
            "ap?.example.com,      apx.example.com,      true",
            "ap?.example.com,      ap.example.com,       false",
            "ap?.example.com,      appp.example.com,     false",
            "a?c.example.com,      a.c.example.com,      false",
            "?.example.com,        x.example.com,        true",
            "*.ap?.example.com,    x.app.example.com,    true",
            "*.ap?.example.com,    app.example.com,      true",
            "example.com,          '',                   false",
            "example.com,          .,                    false",
            "*.example.com,        .example.com,         false",
            "example.com,          com,                  false"
    })
    void matchesDomains(String pattern, String domain, boolean expected) {
        assertThat(DnsPattern.of(pattern).matches(domain)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "\"{0}\" is rejected: {1}")
    @CsvSource(delimiter = '|', value = {
            "''                  | empty",
            ".                   | empty",
            "a..example.com      | empty label",
            ".example.com        | empty label",
            "a.*.example.com     | only allowed as the leftmost label",
            "example.**          | only allowed as the leftmost label",
            "*                   | needs a domain after it",
            "**                  | needs a domain after it",
            "a*.example.com      | must be a whole label",
            "***.example.com     | must be a whole label",
            "exa mple.com        | not allowed",
            "bücher.example      | xn--",
            "ex/ample.com        | not allowed"
    })
    void rejectsInvalidPatternsWithAClearMessage(String pattern, String messagePart) {
        assertThat(DnsPattern.validate(pattern)).isInstanceOfSatisfying(DnsPattern.Validation.Invalid.class,
                invalid -> assertThat(invalid.message()).contains(messagePart).contains(pattern));
        assertThatThrownBy(() -> DnsPattern.of(pattern)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(messagePart);
    }

    @Test
    void rejectsOverlongLabelsAndNames() {
        String label64 = "a".repeat(64);
        assertThat(DnsPattern.validate(label64 + ".com")).isInstanceOf(DnsPattern.Validation.Invalid.class);
        String name254 = ("a".repeat(49) + ".").repeat(5) + "abcd";
        assertThat(name254).hasSize(254);
        assertThat(DnsPattern.validate(name254)).isInstanceOf(DnsPattern.Validation.Invalid.class);
        assertThat(DnsPattern.validate("a".repeat(63) + ".com")).isInstanceOf(DnsPattern.Validation.Valid.class);
    }

    @Test
    void normalisesCaseAndTrailingDot() {
        assertThat(DnsPattern.of("*.Example.COM.").text()).isEqualTo("*.example.com");
        assertThat(DnsPattern.of("A.example.com")).isEqualTo(DnsPattern.of("a.example.com."));
    }

    @ParameterizedTest(name = "{0} is more specific than {1}")
    @CsvSource({
            "app.example.com,      ap?.example.com",
            "ap?.example.com,      *.example.com",
            "*.example.com,        **.example.com",
            "app.example.com,      **.example.com",
            "a.b.example.com,      b.example.com",
            "ap?.b.example.com,    a?p.example.com",
            "*.b.example.com,      *.example.com",
            "**.b.example.com,     **.example.com",
            "ap?.example.com,      ??p.example.com",
            "*.app.example.com,    *.ap?.example.com",
            "**.a.b.example.com,   **.ab.example.com"
    })
    void ordersBySpecificity(String moreSpecific, String lessSpecific) {
        assertThat(DnsPattern.SPECIFICITY.compare(DnsPattern.of(moreSpecific), DnsPattern.of(lessSpecific)))
                .isNegative();
        assertThat(DnsPattern.SPECIFICITY.compare(DnsPattern.of(lessSpecific), DnsPattern.of(moreSpecific)))
                .isPositive();
    }

    @Test
    void specificityIsATotalPreorder() {
        List<DnsPattern> patterns = new ArrayList<>();
        for (String p : List.of("a.example.com", "?.example.com", "*.example.com", "**.example.com",
                "*.a.example.com", "a?.b.example.com", "**.b.c.example.com", "example.com", "x.y.z.com")) {
            patterns.add(DnsPattern.of(p));
        }
        for (DnsPattern a : patterns) {
            for (DnsPattern b : patterns) {
                assertThat(Integer.signum(DnsPattern.SPECIFICITY.compare(a, b)))
                        .isEqualTo(-Integer.signum(DnsPattern.SPECIFICITY.compare(b, a)));
                for (DnsPattern c : patterns) {
                    if (DnsPattern.SPECIFICITY.compare(a, b) <= 0 && DnsPattern.SPECIFICITY.compare(b, c) <= 0) {
                        assertThat(DnsPattern.SPECIFICITY.compare(a, c)).isNotPositive();
                    }
                }
            }
        }
    }
}
