package zonegate.example.embedded;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import zonegate.app.embed.DutyCycle;
import zonegate.app.embed.EmbeddedGateway;
import zonegate.app.embed.GatewayStartException;
import zonegate.app.embed.InvalidPolicyException;
import zonegate.wireguard.PrivateKey;

/**
 * An application that embeds a zonegate gateway: it builds the policy in code, opens the gateway, drives
 * its duty cycle on a thread of its own, applies a policy change from code after a while (or when a line
 * {@code change} arrives on standard input), prints the counters, and stops cleanly at SIGTERM, SIGINT or the
 * end of standard input. See {@link ExampleOptions} for its options.
 *
 * <p>Output lines (standard output) a script can wait for: {@code gateway public key: KEY},
 * {@code gateway running}, {@code policy changed: ...}, {@code counters: ...}, {@code gateway stopped}.
 * Exits 0 after a stop, 2 for bad options or an invalid policy, 1 when the gateway cannot start.
 */
public final class EmbeddedGatewayExample {
    private static final PrintStream OUT = System.out;

    private final EmbeddedGateway gateway;
    private final ExamplePolicies policies;
    private final ExampleOptions options;
    private final AtomicBoolean changeRequested = new AtomicBoolean();
    private boolean stopped;

    private EmbeddedGatewayExample(EmbeddedGateway gateway, ExamplePolicies policies, ExampleOptions options) {
        this.gateway = gateway;
        this.policies = policies;
        this.options = options;
    }

    public static void main(String[] args) throws InterruptedException {
        ExampleOptions options;
        try {
            options = ExampleOptions.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("embedded-gateway: " + e.getMessage());
            System.exit(2);
            return;
        }
        PrivateKey gatewayKey = PrivateKey.generate(new SecureRandom());
        ExamplePolicies policies = new ExamplePolicies(options, gatewayKey);
        EmbeddedGateway gateway;
        try {
            gateway = EmbeddedGateway.open(policies.initial(), options.interfaceName(), 1);
        } catch (InvalidPolicyException e) {
            System.err.println("embedded-gateway: invalid policy:\n" + e.getMessage());
            System.exit(2);
            return;
        } catch (GatewayStartException e) {
            System.err.println("embedded-gateway: cannot start (" + e.reason() + "): " + e.getMessage());
            System.exit(1);
            return;
        }
        OUT.println("gateway public key: " + gateway.publicKey().toBase64());
        new EmbeddedGatewayExample(gateway, policies, options).run();
        gatewayKey.destroy();
    }

    private void run() throws InterruptedException {
        Thread driver = Thread.ofPlatform().name("example-duty-cycle").start(this::drive);
        // SIGTERM and SIGINT run the JVM's shutdown hooks: close the gateway there, gracefully.
        Thread hook = new Thread(() -> stop(driver, "signal"));
        Runtime.getRuntime().addShutdownHook(hook);
        readStandardInput();
        stop(driver, "end of standard input");
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // A signal came after the end of input: the JVM is already shutting down, and stop() ran once.
        }
    }

    /** The application's thread that runs the gateway's state machine: invoke, do its own work, idle. */
    private void drive() {
        DutyCycle cycle = gateway.startDriven();
        OUT.println("gateway running on interface " + options.interfaceName() + ", UDP port " + options.port());
        long startNs = System.nanoTime();
        long changeAtNs = startNs + TimeUnit.SECONDS.toNanos(options.changeAfterSeconds());
        long printEveryNs = TimeUnit.SECONDS.toNanos(options.printEverySeconds());
        long nextPrintNs = startNs + printEveryNs;
        boolean changed = false;
        while (cycle.isRunning()) {
            int work = cycle.invoke();
            long nowNs = System.nanoTime();
            if (!changed && (changeRequested.get() || nowNs - changeAtNs >= 0)) {
                gateway.apply(policies.changed());
                changed = true;
                OUT.println("policy changed: " + options.resource() + " revoked"
                        + options.thenResource().map(r -> ", " + r + " granted").orElse(""));
            }
            if (nowNs - nextPrintNs >= 0) {
                // On this (the driving) thread the state machine's counters are read inline.
                OUT.println(CounterLine.format(gateway.counters()));
                nextPrintNs = nowNs + printEveryNs;
            }
            cycle.idle(work);
        }
    }

    private void readStandardInput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.strip().equals("change")) {
                    changeRequested.set(true);
                }
            }
        } catch (IOException e) {
            System.err.println("embedded-gateway: standard input: " + e.getMessage());
        }
    }

    /** Closes the gateway once, from the main thread (end of input) or the shutdown hook (a signal). */
    private synchronized void stop(Thread driver, String why) {
        if (stopped) {
            return;
        }
        stopped = true;
        OUT.println("stopping (" + why + ")");
        OUT.println(CounterLine.format(gateway.counters()));
        gateway.close();
        try {
            driver.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        OUT.println("gateway stopped");
        OUT.flush();
    }
}
