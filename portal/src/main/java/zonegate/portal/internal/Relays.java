package zonegate.portal.internal;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import zonegate.controlplane.Wire;
import zonegate.turn.server.RestCredentials;

/**
 * The relays that are connected and have stamped their secret: what gateways and clients are told. A relay
 * is available from its {@code stamp_secret} until its socket goes; its credentials for every receiver are
 * renewed at half their lifetime. Bounded by the sessions.
 */
final class Relays {
    static final class Entry {
        final Session session;
        final byte[] secret;
        long renewAtNs;

        Entry(Session session, byte[] secret, long renewAtNs) {
            this.session = session;
            this.secret = secret;
            this.renewAtNs = renewAtNs;
        }
    }

    private final Map<String, Entry> available = new TreeMap<>();
    private final long lifetimeSeconds;

    Relays(long lifetimeSeconds) {
        this.lifetimeSeconds = lifetimeSeconds;
    }

    /** Decodes a stamped secret (base64, 16 to 64 bytes), or null when it is not one. */
    static byte[] decodeSecret(String base64) {
        try {
            byte[] secret = Base64.getDecoder().decode(base64);
            return secret.length >= 16 && secret.length <= 64 ? secret : null;
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }

    Entry stamp(Session relay, byte[] secret, long nowNs) {
        Entry entry = new Entry(relay, secret, nowNs + lifetimeSeconds * 1_000_000_000L / 2);
        available.put(relay.identity, entry);
        return entry;
    }

    /** Forgets the relay of this session; whether it was available. */
    boolean remove(Session relay) {
        Entry entry = available.get(relay.identity);
        if (entry != null && entry.session == relay) {
            available.remove(relay.identity);
            return true;
        }
        return false;
    }

    /** Every available relay, with credentials for {@code receiver}. */
    List<Wire.Relay> forReceiver(String receiver, long unixSeconds) {
        List<Wire.Relay> relays = new ArrayList<>();
        for (Entry entry : available.values()) {
            relays.addAll(wire(entry, receiver, unixSeconds));
        }
        return relays;
    }

    /** One relay's addresses with credentials for {@code receiver}. */
    List<Wire.Relay> wire(Entry entry, String receiver, long unixSeconds) {
        long expires = unixSeconds + lifetimeSeconds;
        RestCredentials credentials = RestCredentials.mint(entry.secret, receiver, expires);
        List<Wire.Relay> relays = new ArrayList<>();
        for (String address : entry.session.relayAddresses) {
            relays.add(new Wire.Relay(entry.session.identity, address, credentials.username(),
                    credentials.password(), expires));
        }
        return relays;
    }

    Iterable<Entry> entries() {
        return available.values();
    }

    long renewalPeriodNs() {
        return lifetimeSeconds * 1_000_000_000L / 2;
    }

    long earliestRenewalNs() {
        long earliest = Long.MAX_VALUE;
        for (Entry entry : available.values()) {
            earliest = Math.min(earliest, entry.renewAtNs);
        }
        return earliest;
    }
}
