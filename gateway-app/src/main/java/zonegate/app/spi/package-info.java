/**
 * The control-plane plug-in interface of the gateway: who may reach what, as one complete desired
 * state.
 *
 * <ul>
 *   <li>{@link zonegate.app.spi.ControlPlaneProvider}: a named factory found with
 *       {@link java.util.ServiceLoader} ({@code uses}/{@code provides}); the built-in one is
 *       {@code "static"}, a JSON file.</li>
 *   <li>{@link zonegate.app.spi.ControlPlane}: one running control plane; it reports to a
 *       {@link zonegate.app.spi.ControlPlaneListener}.</li>
 *   <li>{@link zonegate.app.spi.GatewayPolicy}: the validated desired state (gateway settings,
 *       clients, resources, access policies), mapped to per-client
 *       {@link zonegate.filter.Authorization authorisations} by
 *       {@link zonegate.app.spi.GatewayPolicy#authorizationsFor}.</li>
 *   <li>{@link zonegate.app.spi.PolicyRejection}: a refused change, with one
 *       {@link zonegate.app.spi.PolicyProblem} (file, line, column, reason) per error.</li>
 * </ul>
 */
package zonegate.app.spi;
