package zonegate.app.internal.gateway;

import zonegate.app.spi.ControlPlaneListener;
import zonegate.app.spi.GatewayPolicy;
import zonegate.app.spi.PolicyRejection;

/**
 * Carries the control plane's results to the gateway: the first one decides whether the gateway
 * starts at all, later ones go to the running gateway's state thread. A refused change keeps the
 * running policy (the control plane has logged why).
 */
public final class PolicyRelay implements ControlPlaneListener {
    private GatewayPolicy initialPolicy;
    private PolicyRejection initialRejection;
    private GatewayRuntime runtime;

    @Override
    public synchronized void onPolicy(GatewayPolicy policy) {
        if (runtime == null) {
            initialPolicy = policy;
            initialRejection = null;
        } else {
            runtime.apply(policy);
        }
    }

    @Override
    public synchronized void onRejected(PolicyRejection rejection) {
        if (runtime == null && initialPolicy == null) {
            initialRejection = rejection;
        }
    }

    /** The policy to start with, or null when the first result was a rejection. */
    public synchronized GatewayPolicy initialPolicy() {
        return initialPolicy;
    }

    /** Why the gateway cannot start, when {@link #initialPolicy()} is null. */
    public synchronized PolicyRejection initialRejection() {
        return initialRejection;
    }

    /** From now on, policies go to {@code running}; one that arrived while it started is applied now. */
    public synchronized void attach(GatewayRuntime running, GatewayPolicy startedWith) {
        this.runtime = running;
        if (initialPolicy != startedWith) {
            running.apply(initialPolicy);
        }
    }
}
