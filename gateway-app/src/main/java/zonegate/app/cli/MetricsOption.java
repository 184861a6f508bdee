package zonegate.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.List;
import picocli.CommandLine.Option;

import zonegate.app.internal.observe.MetricsAddress;
import zonegate.app.internal.observe.Observability;
import zonegate.app.internal.observe.PortalWatch;

/** {@code --metrics ADDR:PORT}, shared by the commands that run a loop (a picocli mixin). */
final class MetricsOption {
    @Option(names = "--metrics", paramLabel = "ADDR:PORT",
            description = {"Serve Prometheus metrics (/metrics), /healthz and /readyz over HTTP on this address,",
                    "e.g. 127.0.0.1:9464 or [::1]:9464 (default: off). Not loopback: allowed, with a WARN."})
    String metrics;

    /**
     * The observability for {@code command} (with {@code watch}'s metrics and readiness unless null): off without the option; null (after a message on {@code err})
     * when the address is invalid or cannot be bound.
     */
    Observability open(String command, List<String> checks, PortalWatch watch, PrintWriter err) {
        if (metrics == null) {
            return Observability.off(checks);
        }
        InetSocketAddress address = MetricsAddress.parse(metrics);
        if (address == null) {
            err.println(command + ": --metrics " + metrics + " is not IP:PORT (IPv6 in brackets: [::1]:9464)");
            err.flush();
            return null;
        }
        try {
            return watch == null ? Observability.start(address, checks, List.of(), List.of())
                    : Observability.start(address, checks, List.of(watch), List.of(watch));
        } catch (IOException e) {
            err.println(command + ": --metrics " + metrics + ": cannot listen: " + e.getMessage());
            err.flush();
            return null;
        }
    }
}
