package zonegate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a simulation that logged anything at ERROR (a bug) or WARN (reserved for operator action), or
 * that logged one INFO line more than {@value #MAX_REPEATS} times (a line per tick or per packet instead
 * of once per state change). The TURN client's WARNs when a relay loses our allocation (a relay restart)
 * or stops answering are an operator's matter and allowed.
 */
final class NoErrorLogs implements BeforeEachCallback, AfterEachCallback {
    static final int MAX_REPEATS = 5;
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NoErrorLogs.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("mark", LogCapture.mark());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        int mark = context.getStore(NS).get("mark", Integer.class);
        List<String> lines = LogCapture.since(mark);
        Map<String, Long> infoCounts = lines.stream().filter(l -> l.startsWith("INFO"))
                .collect(Collectors.groupingBy(l -> l, Collectors.counting()));
        assertThat(infoCounts).as("INFO lines logged repeatedly").allSatisfy((line, count) ->
                assertThat(count).as(line).isLessThanOrEqualTo(MAX_REPEATS));
        assertThat(lines).as("ERROR or WARN lines")
                .noneMatch(l -> l.startsWith("ERROR") || (l.startsWith("WARN") && !l.startsWith("WARN TURN allocation")
                        && !l.startsWith("WARN TURN relay unresponsive")));
    }
}
