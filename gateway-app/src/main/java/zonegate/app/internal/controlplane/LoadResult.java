package zonegate.app.internal.controlplane;

import java.util.List;
import zonegate.app.spi.GatewayPolicy;
import zonegate.app.spi.PolicyProblem;
import zonegate.app.spi.PolicyRejection;

/** The outcome of reading a configuration file. */
public sealed interface LoadResult {
    /** The file is valid; {@code notes} are worth logging but change nothing (e.g. expired policies). */
    record Loaded(GatewayPolicy policy, List<PolicyProblem> notes) implements LoadResult {
        public Loaded {
            notes = List.copyOf(notes);
        }
    }

    /** The file is refused. */
    record Rejected(PolicyRejection rejection) implements LoadResult {
    }
}
