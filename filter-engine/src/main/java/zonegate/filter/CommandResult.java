package zonegate.filter;

/** The outcome of a command that changes a client's authorisations. Refusals change nothing. */
public enum CommandResult {
    /** The change is in effect for the next packet. */
    APPLIED,
    /** Refused: the client would hold more than {@link FilterConfig#maxResourcesPerClient}. */
    TOO_MANY_RESOURCES,
    /** Refused: a full list names one resource id twice. */
    DUPLICATE_RESOURCE,
    /** Refused: the client holds no authorisation for that resource. */
    UNKNOWN_RESOURCE
}
