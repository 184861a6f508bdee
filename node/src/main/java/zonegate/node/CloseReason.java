package zonegate.node;

/** Why a connection was closed ({@link NodeEvent.ConnectionClosed}). */
public enum CloseReason {
    /** {@link Node#closeConnection} or {@link Node#closeAll}: a goodbye was sent. */
    CLOSED_LOCALLY,
    /** The peer sent a goodbye. */
    GOODBYE_RECEIVED,
    /** {@link Node#upsertConnection} with other keys or credentials replaced it. */
    REPLACED,
    /** {@link Node#reset}. */
    RESET
}
