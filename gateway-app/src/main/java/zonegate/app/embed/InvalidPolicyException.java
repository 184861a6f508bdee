package zonegate.app.embed;

import java.util.Objects;
import zonegate.app.spi.PolicyRejection;

/**
 * A policy given to {@link EmbeddedGateway#open} or {@link EmbeddedGateway#apply} breaks a rule its records
 * do not check themselves (a client address outside the tunnel range, a public key used twice, a resource
 * overlapping the tunnel range, a change {@code apply} cannot make...). The message lists every problem, one a
 * line, with the path of the value: {@code policy: clients[1].ipv4: 10.0.0.2 is outside the tunnel range
 * 100.64.0.0/11}. The running gateway (if any) keeps its policy.
 */
public final class InvalidPolicyException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final transient PolicyRejection rejection;

    InvalidPolicyException(PolicyRejection rejection) {
        super(rejection.describe());
        this.rejection = Objects.requireNonNull(rejection, "rejection");
    }

    /** Every problem found, in policy order; their source is {@code "policy"}, their line 0. */
    public PolicyRejection rejection() {
        return rejection;
    }
}
