package zonegate.app.internal.controlplane;

import java.util.List;
import zonegate.app.spi.PolicyProblem;
import zonegate.app.spi.PolicyRejection;
import zonegate.portal.PortalPolicy;
import zonegate.portal.PortalServerConfig;

/** What reading {@code portal.json} gave. Switch over it exhaustively. */
public sealed interface PortalLoad {
    /** A valid file: how to listen, and the policy; {@code notes} are warnings that did not reject it. */
    record Loaded(PortalServerConfig server, PortalPolicy policy, List<PolicyProblem> notes) implements PortalLoad {
        public Loaded {
            notes = List.copyOf(notes);
        }
    }

    /** An invalid or unreadable file, with every problem found. */
    record Rejected(PolicyRejection rejection) implements PortalLoad {
    }
}
