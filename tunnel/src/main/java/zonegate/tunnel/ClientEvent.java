package zonegate.tunnel;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import zonegate.filter.ResourceId;
import zonegate.ice.Candidate;
import zonegate.wireguard.PublicKey;

/**
 * What {@link ClientState#pollEvent()} reports. Switch over it exhaustively. The configuration-like ones
 * ({@link TunConfigChanged}, {@link SitesChanged}, {@link DnsRecordsChanged}) are latest values: several
 * changes between two polls come out as one event with the newest value.
 */
public sealed interface ClientEvent {

    /**
     * The first packet for a resource without an authorisation: ask the control plane for access
     * (re-raised at most every 2 s while unanswered).
     *
     * @param preferredGateways the gateway already used for this resource, then the connected ones
     */
    record ConnectionIntent(ResourceId resourceId, List<String> preferredGateways) implements ClientEvent {
        public ConnectionIntent {
            preferredGateways = List.copyOf(preferredGateways);
        }
    }

    /** Local ICE candidates of the connection to a gateway, to signal to it. */
    record CandidatesChanged(String gatewayId, List<Candidate> added, List<Candidate> removed) implements ClientEvent {
        public CandidatesChanged {
            added = List.copyOf(added);
            removed = List.copyOf(removed);
        }
    }

    /**
     * A DNS query for a name that is no resource: send {@code message} to {@code upstream} and give the
     * answer (or null on failure) to {@link ClientState#handleUpstreamDnsResponse}.
     */
    record DnsQuery(long queryId, InetSocketAddress upstream, byte[] message) implements ClientEvent {
    }

    /** The TUN device's configuration (latest value). */
    record TunConfigChanged(TunConfig config) implements ClientEvent {
    }

    /** Every site's status (latest value). */
    record SitesChanged(Map<String, SiteStatus> statusBySite) implements ClientEvent {
        public SitesChanged {
            statusBySite = Map.copyOf(statusBySite);
        }
    }

    /** The stub resolver's proxy addresses (latest value): keep them to seed the next session. */
    record DnsRecordsChanged(DnsRecords records) implements ClientEvent {
    }

    /** {@link ClientState#reset} rotated the WireGuard key: reconnect to the control plane with it. */
    record PublicKeyChanged(PublicKey publicKey) implements ClientEvent {
    }

    /** The last relay is gone. */
    record NoRelays() implements ClientEvent {
    }
}
