package zonegate.app.spi;

/**
 * A running source of {@link GatewayPolicy desired state} for one gateway.
 *
 * <p>Lifecycle: {@link ControlPlaneProvider#open open}, {@link #start} once, then {@link #close}.
 * {@code start} reports the initial state synchronously, before it returns: exactly one call of
 * {@link ControlPlaneListener#onPolicy} or {@link ControlPlaneListener#onRejected}. A gateway that
 * receives a rejection before any policy must refuse to start. Later changes (for the static control
 * plane: the file changed, or SIGHUP) arrive on the control plane's own thread; calls to the
 * listener never overlap.
 */
public interface ControlPlane extends AutoCloseable {
    /**
     * Loads the initial state, reports it to {@code listener}, then watches for changes.
     *
     * @throws IllegalStateException if already started or closed
     */
    void start(ControlPlaneListener listener);

    /**
     * Asks for the state to be read again now, as an operator's SIGHUP does; the result goes to the
     * listener like any other change. Does nothing before {@link #start} or after {@link #close}.
     * May be called from any thread; returns once the result has been reported.
     */
    void reload();

    /** Stops watching and joins the control plane's thread; no listener call follows. Idempotent. */
    @Override
    void close();
}
