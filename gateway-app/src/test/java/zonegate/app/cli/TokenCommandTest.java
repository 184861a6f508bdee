package zonegate.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import zonegate.controlplane.Tokens;

class TokenCommandTest {

    @Test
    void printsANewTokenOnStdoutAndItsHashOnStderr() {
        CliRun first = CliRun.of("token");
        CliRun second = CliRun.of("token");

        String token = first.out().strip();
        assertThat(first.exitCode()).isZero();
        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        assertThat(first.err().strip()).isEqualTo(Tokens.sha256Hex(token)).hasSize(64);
        assertThat(Tokens.matches(token, first.err().strip())).isTrue();
        assertThat(second.out()).isNotEqualTo(first.out());
    }
}
