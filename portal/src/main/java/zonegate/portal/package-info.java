/**
 * The portal: the signalling and policy server of the ICE mode. {@link zonegate.portal.PortalState} is the
 * sans-IO core (sessions, inits, relays, authorisations, candidates, policy reloads);
 * {@link zonegate.portal.PortalPolicy} what it enforces; {@link zonegate.portal.PortalServer} the
 * WebSocket transport around it.
 */
package zonegate.portal;
