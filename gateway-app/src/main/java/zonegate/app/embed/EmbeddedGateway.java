package zonegate.app.embed;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import zonegate.app.internal.gateway.GatewayRuntime;
import zonegate.app.spi.GatewayPolicy;
import zonegate.app.spi.GatewaySettings;
import zonegate.shell.io.Capabilities;
import zonegate.shell.io.Errno;
import zonegate.shell.io.LinkControl;
import zonegate.shell.io.NativeIoException;
import zonegate.shell.loop.LoopCounters;
import zonegate.wireguard.AeadChoice;
import zonegate.wireguard.PublicKey;

/**
 * A static-mode gateway inside the application's JVM: the same TUN device, UDP sockets, DNS server, state
 * machine and event loop as {@code zonegate gateway --config FILE}, but its policy comes from code.
 *
 * <p>Lifecycle: {@link #open} (device, addresses, sockets; nothing runs yet), then exactly one of
 * {@link #start()} (zonegate's own threads) or {@link #startDriven()} (the calling thread runs the state
 * machine's duty cycle), any number of {@link #apply} and {@link #counters()}, and {@link #close()}.
 *
 * <pre>{@code
 * try (EmbeddedGateway gateway = EmbeddedGateway.open(policy, "zg0", 1)) {
 *     gateway.start();
 *     ...
 *     gateway.apply(nextPolicy);                         // from any thread
 *     GatewayCounters counters = gateway.counters();     // from any thread
 * }                                                      // goodbye to clients, at most ~1 s of flushing
 * }</pre>
 *
 * <p>Threading: every method may be called from any thread. In both modes the readers and writers are
 * virtual threads of zonegate's, and an epoll poller and the DNS server have threads of their own; only the
 * state machine's thread differs. In driven mode, {@link DutyCycle#invoke()} and {@link DutyCycle#idle} belong
 * to the thread that called {@code startDriven()}, and the state machine's counters are read inline there and
 * through the command queue (answered at that thread's next cycle) elsewhere.
 *
 * <p>Keys: the gateway copies the keys of every policy it is given and destroys its copies once applied, so
 * the application's {@code PrivateKey} and {@code PresharedKey} objects stay usable for its next policy (and
 * are its to destroy).
 */
public final class EmbeddedGateway implements AutoCloseable {
    /** The longest {@link #counters()} waits for the state thread's part. */
    public static final long STATE_READ_TIMEOUT_MS = 1_000;

    private enum Mode { OPEN, OWN_THREADS, DRIVEN, CLOSED }

    private final GatewayRuntime runtime;
    private final GatewaySettings settings;
    private final PublicKey publicKey;
    private final GatewayPolicy firstCopy;
    private final Object cycleLock = new Object();
    private volatile Mode mode = Mode.OPEN;
    private volatile Thread drivingThread;
    private volatile boolean closing;

    private EmbeddedGateway(GatewayRuntime runtime, GatewaySettings settings, PublicKey publicKey,
                            GatewayPolicy firstCopy) {
        this.runtime = runtime;
        this.settings = settings;
        this.publicKey = publicKey;
        this.firstCopy = firstCopy;
    }

    /**
     * Creates the TUN device {@code interfaceName} with {@code queues} queues and the gateway's tunnel addresses,
     * and opens the UDP sockets on the policy's listen port (IPv4, and IPv6 where the host has it) and the DNS
     * server on the tunnel addresses. Nothing is read until {@link #start()} or {@link #startDriven()}.
     *
     * @param interfaceName 1 to 15 bytes, not the name of an existing interface
     * @param queues TUN queues, each with its own reader (1 to 16)
     * @throws InvalidPolicyException listing every problem of {@code policy}
     * @throws GatewayStartException naming what to do: missing CAP_NET_ADMIN, the interface exists, the port is
     *     in use, no /dev/net/tun, or another failed system call
     * @throws IllegalArgumentException for an interface name or queue count out of range
     */
    public static EmbeddedGateway open(GatewayPolicy policy, String interfaceName, int queues)
            throws GatewayStartException {
        return open(policy, interfaceName, queues, AeadChoice.AUTO);
    }

    /**
     * As {@link #open(GatewayPolicy, String, int)}, with WireGuard's transport AEAD chosen by {@code aead}
     * ({@link AeadChoice#AUTO}: libcrypto's when it loads and passes its self-test, else the JDK's).
     *
     * @throws IllegalStateException when {@code aead} is {@link AeadChoice#NATIVE} and libcrypto's AEAD is unavailable
     */
    public static EmbeddedGateway open(GatewayPolicy policy, String interfaceName, int queues, AeadChoice aead)
            throws GatewayStartException {
        return open(policy, interfaceName, queues, aead, true);
    }

    /**
     * As {@link #open(GatewayPolicy, String, int, AeadChoice)}, with the TUN device's offloads on (the default:
     * TSO/USO super-packets read and cut into packets, runs of one TCP flow's segments written as one) or off
     * (one read or write per packet).
     */
    public static EmbeddedGateway open(GatewayPolicy policy, String interfaceName, int queues, AeadChoice aead,
                                       boolean tunOffload) throws GatewayStartException {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(aead, "aead");
        Objects.requireNonNull(interfaceName, "interfaceName");
        PolicyCheck.requireValid(policy);
        if (!Capabilities.hasNetAdmin()) {
            throw new GatewayStartException(GatewayStartException.Reason.MISSING_CAPABILITY,
                    "an embedded zonegate gateway needs CAP_NET_ADMIN to create its TUN device: run the JVM as root, "
                            + "grant it with `setcap cap_net_admin+ep` on its java binary, or start it with "
                            + "AmbientCapabilities=CAP_NET_ADMIN under systemd", null);
        }
        requireNoInterface(interfaceName);
        GatewayPolicy copy = PolicyKeys.withOwnKeys(policy);
        try {
            GatewayRuntime runtime = GatewayRuntime.openEmbedded(copy, interfaceName, queues, aead, tunOffload);
            return new EmbeddedGateway(runtime, policy.gateway(), policy.gateway().publicKey(), copy);
        } catch (NativeIoException e) {
            copy.destroyKeys();
            throw failure(e, interfaceName, policy.gateway().listenPort());
        } catch (IOException e) {
            copy.destroyKeys();
            throw new GatewayStartException(GatewayStartException.Reason.IO_ERROR,
                    "the gateway could not start: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            copy.destroyKeys();
            throw e;
        }
    }

    /** Runs the gateway on zonegate's own threads: the state machine on a platform thread {@code zonegate-state}. */
    public void start() {
        synchronized (cycleLock) {
            requireMode(Mode.OPEN, "start()");
            runtime.loop().start();
            mode = Mode.OWN_THREADS;
        }
    }

    /**
     * Makes the calling thread the state machine's, and its I/O's: it applies the first policy here, and from
     * now on only this thread may call the returned handle's {@link DutyCycle#invoke()} and
     * {@link DutyCycle#idle}, which read and write the TUN device and sockets on it. A platform thread suits
     * best (the idle strategy sleeps in epoll, which pins a virtual thread's carrier).
     */
    public DutyCycle startDriven() {
        synchronized (cycleLock) {
            requireMode(Mode.OPEN, "startDriven()");
            drivingThread = Thread.currentThread();
            runtime.loop().startEmbedded();
            mode = Mode.DRIVEN;
            return new DutyCycle(this, runtime.loop(), Thread.currentThread());
        }
    }

    /**
     * Hands a new policy to the state machine, from any thread; it takes effect at the state thread's next
     * cycle (clients, resources, grants and {@code allowToGateway}; connections of clients still listed go on).
     * A newer policy given before that replaces this one.
     *
     * @throws InvalidPolicyException listing every problem, also when the policy changes what only a new
     *     {@link #open} can (key, listen port, tunnel addresses, MTU, NAT64 prefix, resolvers); the gateway
     *     keeps its policy
     * @throws IllegalStateException once closed
     */
    public void apply(GatewayPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        if (mode == Mode.CLOSED) {
            throw new IllegalStateException("the gateway is closed");
        }
        PolicyCheck.requireApplicable(policy, settings, publicKey);
        runtime.apply(PolicyKeys.withOwnKeys(policy));
    }

    /**
     * The counters now. The loop's are read directly; the state machine's on its thread: inline when called on
     * a driven gateway's driving thread, else through the command queue, waiting at most
     * {@link #STATE_READ_TIMEOUT_MS} (then {@link GatewayCounters#state()} is empty). Allocates a little per call:
     * read it at human rates (once a second), not per packet.
     */
    public GatewayCounters counters() {
        LoopCounters c = runtime.loop().counters();
        return new GatewayCounters(c.datagramsIn(), c.datagramsOut(), c.datagramBytesIn(), c.datagramBytesOut(),
                c.devicePacketsIn(), c.devicePacketsOut(), c.cycles(), c.dropsByReason(), stateCounters());
    }

    /** The gateway's WireGuard public key (what clients configure as their peer). */
    public PublicKey publicKey() {
        return publicKey;
    }

    /**
     * Graceful stop, from any thread: stops reading, says goodbye to every client, flushes for at most 1 s and
     * closes the device, the sockets and the DNS server. On a driven gateway it first waits for the driving
     * thread to leave {@link DutyCycle#invoke()} or {@link DutyCycle#idle} (woken at once if it is parked), whose
     * handle then reports {@link DutyCycle#isRunning()} false. Idempotent.
     */
    @Override
    public void close() {
        if (mode == Mode.CLOSED) {
            return;
        }
        closing = true;
        runtime.submitToState(state -> { });
        synchronized (cycleLock) {
            if (mode == Mode.CLOSED) {
                return;
            }
            Mode was = mode;
            mode = Mode.CLOSED;
            runtime.close();
            if (was == Mode.OPEN) {
                firstCopy.destroyKeys();
            }
        }
    }

    /** For the handle: whether {@link #close()} has begun. */
    boolean closing() {
        return closing;
    }

    /** For the handle: the lock that keeps one duty cycle and {@link #close()} apart. */
    Object cycleLock() {
        return cycleLock;
    }

    private Optional<StateCounters> stateCounters() {
        Mode now = mode;
        if (now == Mode.OPEN || now == Mode.CLOSED) {
            return Optional.empty();
        }
        if (now == Mode.DRIVEN && Thread.currentThread() == drivingThread) {
            return Optional.of(StateReads.state(runtime.stateOnStateThread()));
        }
        CompletableFuture<StateCounters> read = new CompletableFuture<>();
        if (!runtime.submitToState(state -> read.complete(StateReads.state(state)))) {
            return Optional.empty();
        }
        try {
            return Optional.of(read.get(STATE_READ_TIMEOUT_MS, TimeUnit.MILLISECONDS));
        } catch (TimeoutException | ExecutionException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private void requireMode(Mode expected, String call) {
        if (mode != expected) {
            throw new IllegalStateException(call + " on a gateway that is " + switch (mode) {
                case OPEN -> "open";
                case OWN_THREADS -> "already started";
                case DRIVEN -> "already driven";
                case CLOSED -> "closed";
            });
        }
    }

    private static void requireNoInterface(String name) throws GatewayStartException {
        boolean exists;
        try {
            LinkControl.index(name);
            exists = true;
        } catch (NativeIoException e) {
            exists = false;
        }
        if (exists) {
            throw new GatewayStartException(GatewayStartException.Reason.INTERFACE_EXISTS,
                    "a network interface named " + name + " already exists: pick another name (another gateway, "
                            + "or a leftover one: `ip link del " + name + "`)", null);
        }
    }

    private static GatewayStartException failure(NativeIoException e, String interfaceName, int port) {
        String call = e.call();
        if (call.startsWith("bind(") && e.errno() == Errno.EADDRINUSE) {
            return new GatewayStartException(GatewayStartException.Reason.PORT_IN_USE,
                    "UDP port " + port + " is in use (" + e.getMessage() + "): stop what holds it or give the "
                            + "policy another listenPort", e);
        }
        if (call.startsWith("open(/dev/net/tun)") && e.errno() == Errno.ENOENT) {
            return new GatewayStartException(GatewayStartException.Reason.NO_TUN_DEVICE,
                    "there is no /dev/net/tun (" + e.getMessage() + "): load the tun module, or give the container "
                            + "the device", e);
        }
        if (e.errno() == Errno.EPERM || e.errno() == Errno.EACCES) {
            return new GatewayStartException(GatewayStartException.Reason.MISSING_CAPABILITY,
                    "not permitted (" + e.getMessage() + "): the gateway needs CAP_NET_ADMIN and access to "
                            + "/dev/net/tun", e);
        }
        if (call.startsWith("ioctl(TUNSETIFF)") && e.errno() == Errno.EBUSY) {
            return new GatewayStartException(GatewayStartException.Reason.INTERFACE_EXISTS,
                    "the TUN device " + interfaceName + " is in use by another process (" + e.getMessage() + ")", e);
        }
        return new GatewayStartException(GatewayStartException.Reason.IO_ERROR,
                "the gateway could not start: " + e.getMessage(), e);
    }
}
