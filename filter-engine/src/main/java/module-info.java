/** Resources, DNS patterns, per-client routing tables, filters and authorisations. Not built yet. */
module zonegate.filter {
    requires zonegate.packet;
}
