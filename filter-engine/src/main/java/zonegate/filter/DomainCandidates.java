package zonegate.filter;

import zonegate.filter.internal.Snapshot;

/**
 * One client's DNS resources matching one domain, in tie-break order, cached so that deciding a
 * packet for the domain costs no pattern matching and no allocation. Get one from
 * {@link ClientFilter#domainCandidates} when the gateway's DNS-resource NAT creates its entry for the
 * domain, keep it beside that entry, and pass it to {@link ClientFilter#decideDomainV4} and friends.
 * When the client's authorisations change, the next decision recomputes the list once, in place
 * (that one decision allocates).
 *
 * <p>Belongs to the client that made it; not thread-safe (it is refreshed by decisions).
 */
public final class DomainCandidates {
    final ClientFilter owner;
    final String domain;
    /** Distinguishes this domain's flows from other domains' in the client's flow table. */
    final long flowKey;
    Snapshot snapshot;
    /** The matching entries as (entry, filter offset) pairs, like the address indexes' candidate lists. */
    int[] entries;

    DomainCandidates(ClientFilter owner, String domain, long flowKey, Snapshot snapshot) {
        this.owner = owner;
        this.domain = domain;
        this.flowKey = flowKey;
        refresh(snapshot);
    }

    /** The domain, as given. */
    public String domain() {
        return domain;
    }

    void refresh(Snapshot current) {
        snapshot = current;
        entries = current.withFilters(current.domainCandidates(domain));
    }

    @Override
    public String toString() {
        return domain;
    }
}
