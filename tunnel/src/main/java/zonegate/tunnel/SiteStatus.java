package zonegate.tunnel;

/** What the client knows of a site's gateways. */
public enum SiteStatus {
    /** No connection tried yet, or the last one ended with a goodbye, or Offline was 5 minutes ago. */
    UNKNOWN,
    /** A connection to one of its gateways is up. */
    ONLINE,
    /** The last connection attempt failed, or the control plane said no gateway is available. */
    OFFLINE
}
