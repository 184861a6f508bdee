package zonegate.node;

/** Which side of a connection a {@link Node} is. */
public enum NodeRole {
    /**
     * A client: ICE controlling with the client profile; WireGuard initiator (after nomination only);
     * buffers packets while a connection is being made.
     */
    CLIENT,
    /**
     * A server (gateway): ICE controlled with the gateway profile; WireGuard responder only; never
     * buffers and never initiates.
     */
    SERVER
}
