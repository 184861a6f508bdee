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
    private boolean cancelled;

    @Override
    public synchronized void onPolicy(GatewayPolicy policy) {
        if (runtime == null) {
            initialPolicy = policy;
            notifyAll();
        } else {
            runtime.apply(policy);
        }
    }

    @Override
    public synchronized void onRejected(PolicyRejection rejection) {
        if (runtime == null && initialPolicy == null && initialRejection == null) {
            initialRejection = rejection;
        }
    }

    /** The policy to start with, or null when the first result was a rejection. */
    public synchronized GatewayPolicy initialPolicy() {
        return initialPolicy;
    }

    /**
     * Waits until a policy has arrived (the first result, or a later valid file after a rejection) or
     * {@link #cancel} is called; returns it, or null when cancelled first.
     */
    public synchronized GatewayPolicy awaitInitialPolicy() throws InterruptedException {
        while (initialPolicy == null && !cancelled) {
            wait();
        }
        return initialPolicy;
    }

    /** Ends {@link #awaitInitialPolicy} (the gateway is told to stop before it started). */
    public synchronized void cancel() {
        cancelled = true;
        notifyAll();
    }

    /**
     * Why the gateway cannot start, when {@link #initialPolicy()} is null (the first rejection before any policy;
     * kept once set, so a caller that saw no policy always finds it).
     */
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
