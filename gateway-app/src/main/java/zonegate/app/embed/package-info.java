/**
 * Running a static-mode gateway inside another JVM application, with no configuration file: build a
 * {@link zonegate.app.spi.GatewayPolicy} in code, {@link zonegate.app.embed.EmbeddedGateway#open open} the
 * gateway (TUN device and UDP sockets), run it on zonegate's own threads ({@code start()}) or drive its duty
 * cycle on a thread of the application ({@code startDriven()}), {@code apply} later policies, read
 * {@code counters()} and {@code close()} it.
 *
 * <pre>{@code
 * GatewayPolicy policy = new GatewayPolicy(GatewaySettings.of(key, 51820, List.of(dns)), clients, resources, grants);
 * try (EmbeddedGateway gateway = EmbeddedGateway.open(policy, "zg0", 1)) {
 *     DutyCycle cycle = gateway.startDriven();          // this thread now runs the state machine
 *     while (cycle.isRunning() && !stopping) {
 *         cycle.idle(cycle.invoke());
 *     }
 * }
 * }</pre>
 *
 * <p>The JVM needs {@code --enable-native-access=zonegate.shell,zonegate.app} (TUN, sockets and epoll go
 * through the Foreign Function &amp; Memory API) and the process needs CAP_NET_ADMIN.
 */
package zonegate.app.embed;
