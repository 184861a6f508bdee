package zonegate.app.internal.observe;

import java.util.ArrayList;
import java.util.List;
import org.tinylog.Logger;

/**
 * What the observability listener answers, without HTTP: {@code GET /metrics} (text format 0.0.4, every
 * source's metrics), {@code GET /healthz} (the liveness probes), {@code GET /readyz} (liveness and readiness
 * probes); 200 when every check passes, else 503, with a JSON body naming each check. Anything else is 404,
 * a method other than GET or HEAD 405.
 *
 * <p>Thread-safe if the sources and probes are: each request builds its own response.
 */
public final class ObserveEndpoints {
    private final List<MetricSource> sources;
    private final List<HealthProbe> liveness;
    private final List<HealthProbe> readiness;

    /** An HTTP answer: status, {@code Content-Type} and body. */
    public record Response(int status, String contentType, String body) {
    }

    public ObserveEndpoints(List<MetricSource> sources, List<HealthProbe> liveness, List<HealthProbe> readiness) {
        this.sources = List.copyOf(sources);
        this.liveness = List.copyOf(liveness);
        this.readiness = List.copyOf(readiness);
    }

    /** Answers {@code method path} at {@code nowNs} ({@link System#nanoTime()}). */
    public Response respond(String method, String path, long nowNs) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return new Response(405, "text/plain; charset=utf-8", "method not allowed\n");
        }
        return switch (path) {
            case "/metrics" -> new Response(200, TextFormat.CONTENT_TYPE, TextFormat.write(collect()));
            case "/healthz" -> health(liveness, nowNs);
            case "/readyz" -> {
                List<HealthProbe> all = new ArrayList<>(liveness);
                all.addAll(readiness);
                yield health(all, nowNs);
            }
            default -> new Response(404, "text/plain; charset=utf-8", "not found: try /metrics, /healthz, /readyz\n");
        };
    }

    /** Every source's metrics; a source that fails is left out of this scrape (logged at DEBUG). */
    List<MetricFamily> collect() {
        MetricsBuilder out = new MetricsBuilder();
        for (MetricSource source : sources) {
            try {
                source.collect(out);
            } catch (RuntimeException e) {
                Logger.debug(e, "a metric source failed during a scrape");
            }
        }
        return out.build();
    }

    private static Response health(List<HealthProbe> probes, long nowNs) {
        List<HealthCheck> checks = new ArrayList<>(probes.size());
        boolean ok = true;
        for (HealthProbe probe : probes) {
            HealthCheck check = probe.check(nowNs);
            checks.add(check);
            ok &= check.ok();
        }
        return new Response(ok ? 200 : 503, "application/json", HealthJson.write(ok, checks));
    }
}
