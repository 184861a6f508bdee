package zonegate.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a simulation that logged anything at ERROR (a bug) or WARN (reserved for operator action). The
 * TURN client's WARNs when a relay loses our allocation (a relay restart) or stops answering are an
 * operator's matter and allowed.
 */
final class NoErrorLogs implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NoErrorLogs.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("mark", LogCapture.mark());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        int mark = context.getStore(NS).get("mark", Integer.class);
        assertThat(LogCapture.since(mark)).as("ERROR or WARN lines")
                .noneMatch(l -> l.startsWith("ERROR") || (l.startsWith("WARN") && !l.startsWith("WARN TURN allocation")
                        && !l.startsWith("WARN TURN relay unresponsive")));
    }
}
