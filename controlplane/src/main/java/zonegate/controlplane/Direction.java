package zonegate.controlplane;

/** Who sends to whom: what a received text is decoded as ({@link PortalCodec#decode}). */
public enum Direction {
    TO_GATEWAY, FROM_GATEWAY, TO_CLIENT, FROM_CLIENT, TO_RELAY, FROM_RELAY
}
