/** Nodes and connections (ICE + WireGuard + relays), the gateway and client state machines. Not built yet. */
module zonegate.tunnel {
    requires zonegate.wireguard;
    requires zonegate.ice;
    requires zonegate.turn;
    requires zonegate.filter;
    requires zonegate.nat64;
}
