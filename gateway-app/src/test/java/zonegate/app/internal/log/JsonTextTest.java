package zonegate.app.internal.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;

class JsonTextTest {
    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        StringBuilder out = new StringBuilder();
        JsonText.escape("a\"b\\c\nd\u0001", out);
        assertThat(out).hasToString("a\\\"b\\\\c\\nd\\u0001");
    }

    @FuzzTest(maxDuration = "10s")
    void escapedTextHasNoRawControlCharactersOrLoneQuotes(byte[] data) {
        StringBuilder out = new StringBuilder();
        JsonText.escape(new String(data, java.nio.charset.StandardCharsets.ISO_8859_1), out);
        for (int i = 0; i < out.length(); i++) {
            char c = out.charAt(i);
            assertThat(c).isGreaterThanOrEqualTo(' ');
            if (c == '\\') {
                i++;
            } else {
                assertThat(c).isNotEqualTo('"');
            }
        }
    }
}
