package zonegate.app.internal.observe;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Readiness checks that the runtime sets as it comes up (and down): each named check starts failing with
 * "not yet", and {@link #set} records its latest outcome from any thread. {@link #probes()} reads them in the
 * order given at construction. The set of names is fixed, so the map is bounded.
 *
 * <pre>{@code
 * Readiness ready = new Readiness(List.of("policy", "device", "sockets"));
 * ... // policy loaded
 * ready.set("policy", true, "loaded from /etc/zonegate/gateway.json");
 * }</pre>
 */
public final class Readiness {
    private final List<String> names;
    private final Map<String, HealthCheck> latest = new ConcurrentHashMap<>();

    public Readiness(List<String> names) {
        this.names = List.copyOf(names);
        for (String name : this.names) {
            latest.put(name, new HealthCheck(name, false, "not yet"));
        }
    }

    /** Records {@code name}'s outcome; a name not given at construction is a programming error. */
    public void set(String name, boolean ok, String detail) {
        if (!names.contains(name)) {
            throw new IllegalArgumentException("no readiness check " + name);
        }
        latest.put(name, new HealthCheck(name, ok, detail));
    }

    /** One probe per check, reading its latest outcome. */
    public List<HealthProbe> probes() {
        return names.stream().<HealthProbe>map(name -> nowNs -> latest.get(name)).toList();
    }
}
