package zonegate.app.internal.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import zonegate.app.internal.controlplane.ConfigNode.ConfigArray;
import zonegate.app.internal.controlplane.ConfigNode.ConfigNumber;
import zonegate.app.internal.controlplane.ConfigNode.ConfigObject;
import zonegate.app.internal.controlplane.ConfigNode.ConfigString;
import zonegate.app.internal.controlplane.ConfigNode.Position;
import zonegate.app.internal.controlplane.ConfigTreeReader.Outcome;

class ConfigTreeReaderTest {
    @Test
    void everyValueRemembersWhereItStarts() {
        Outcome outcome = ConfigTreeReader.read("{\n  \"a\": [1,\n    \"x\"]\n}");

        ConfigObject root = (ConfigObject) ((Outcome.Parsed) outcome).root();
        assertThat(root.at()).isEqualTo(new Position(1, 1));
        assertThat(root.members().getFirst().nameAt()).isEqualTo(new Position(2, 3));
        ConfigArray array = (ConfigArray) root.members().getFirst().value();
        assertThat(array.at()).isEqualTo(new Position(2, 8));
        assertThat(array.elements()).containsExactly(
                new ConfigNumber(new Position(2, 9), new BigDecimal("1")),
                new ConfigString(new Position(3, 5), "x"));
    }

    @Test
    void duplicateFieldIsASyntaxErrorAtTheSecondName() {
        Outcome outcome = ConfigTreeReader.read("{\"a\": 1,\n \"a\": 2}");

        assertThat(outcome).isEqualTo(new Outcome.SyntaxError(new Position(2, 2), "duplicate field \"a\""));
    }

    @Test
    void trailingCommaIsASyntaxErrorWithItsPosition() {
        Outcome outcome = ConfigTreeReader.read("{\n  \"a\": 1,\n}");

        Outcome.SyntaxError error = (Outcome.SyntaxError) outcome;
        assertThat(error.at()).isEqualTo(new Position(3, 1));
        assertThat(error.reason()).startsWith("invalid JSON: ");
    }

    @Test
    void commentsAreRefused() {
        Outcome outcome = ConfigTreeReader.read("{ // note\n}");

        assertThat(outcome).isInstanceOf(Outcome.SyntaxError.class);
    }

    @Test
    void contentAfterTheRootValueIsRefused() {
        Outcome outcome = ConfigTreeReader.read("{}\n{}");

        assertThat(outcome).isEqualTo(new Outcome.SyntaxError(new Position(2, 1),
                "unexpected content after the end of the JSON value"));
    }

    @Test
    void emptyTextIsRefused() {
        Outcome outcome = ConfigTreeReader.read("  \n");

        assertThat(outcome).isEqualTo(new Outcome.SyntaxError(new Position(1, 1),
                "the file is empty; expected a JSON object"));
    }

    @Test
    void syntaxErrorOfAWholeFileCarriesItsLine() {
        LoadResult result = TestConfigs.parse(TestConfigs.validWith("\"ipv4\": \"100.64.0.3\",", "\"ipv4\": \"100.64.0.3\""));

        assertThat(((LoadResult.Rejected) result).rejection().describe()).startsWith("t.json:18:7: invalid JSON: ");
    }
}
