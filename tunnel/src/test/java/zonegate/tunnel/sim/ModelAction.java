package zonegate.tunnel.sim;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * One step of a {@link DataPlaneModelFuzzTest} sequence, decoded from the fuzzer's bytes. Every record prints
 * as a readable line, so a failing sequence is its list of actions. Indexes pick from the fixed universe
 * of {@link ModelUniverse} (resource slots, addresses, patterns, filters, probe targets, DNS names).
 */
sealed interface ModelAction {
    /** A resource slot's definition: a CIDR range or a DNS pattern, its site and its filters. */
    record Spec(boolean dns, int address, String site, int filters) {
        @Override
        public String toString() {
            return (dns ? "dns " + ModelUniverse.PATTERNS[address % ModelUniverse.PATTERNS.length]
                    : "cidr " + ModelUniverse.CIDRS[address % ModelUniverse.CIDRS.length]) + " site " + site
                    + " filters " + ModelUniverse.FILTERS.get(filters % ModelUniverse.FILTERS.size());
        }
    }

    /** Adds the slot, or changes it (address, filters, type, site) when it exists. */
    record Upsert(int slot, Spec spec) implements ModelAction {
    }

    record Remove(int slot) implements ModelAction {
    }

    /** The portal's policy grants the slot from now on (and re-grants it where the client still holds it). */
    record Authorise(int slot) implements ModelAction {
    }

    /** The policy stops granting the slot; the gateway holding it is told ({@code rejectAccess}). */
    record Revoke(int slot) implements ModelAction {
    }

    /** The portal re-inits the gateway holding the slot with an expiry {@code seconds} from now. */
    record Expire(int slot, int seconds) implements ModelAction {
    }

    record ToggleInternet() implements ModelAction {
    }

    /** A packet of {@code kind} from the TUN device to target {@code target} (a proxy index for DNS names). */
    record Probe(ModelUniverse.Kind kind, int target, int proxy) implements ModelAction {
    }

    /** A query to the sentinel for name {@code name} of type {@code type} (an index of QUERY_TYPES). */
    record Query(int name, int type) implements ModelAction {
        @Override
        public String toString() {
            return "Query[" + ModelUniverse.NAMES[name] + " " + ModelUniverse.QUERY_TYPE_NAMES[type] + "]";
        }
    }

    /** ClientState.reset: a new key, connections and authorisations dropped. */
    record Roam() implements ModelAction {
    }

    /** A new ClientState (new key) seeded with the old one's DnsRecords. */
    record RestartClient() implements ModelAction {
    }

    /** A new IceGatewayState for the site (new key), inited by the portal with what it holds. */
    record RestartGateway(String site) implements ModelAction {
    }

    /** The gateway can reach nothing and nothing reaches it for {@code seconds}. */
    record PartitionGateway(String site, int seconds) implements ModelAction {
    }

    /** A new relay, given to the client and both gateways. */
    record DeployRelay() implements ModelAction {
    }

    record PartitionRelay(int relay, int seconds) implements ModelAction {
    }

    /** A relay restarts: every allocation and channel on it is gone. */
    record RebootRelay(int relay) implements ModelAction {
    }

    record Idle(int minutes) implements ModelAction {
    }

    /** The gateway's control-plane link is down for {@code seconds}, then back with a full init. */
    record ReconnectControlPlane(String site, int seconds) implements ModelAction {
    }

    /** The world a sequence starts from: NAT placements, the slots listed at init, the policy. */
    record Start(int clientNat, int gatewayNat, List<Spec> initial, boolean[] authorised) {
        @Override
        public String toString() {
            StringBuilder s = new StringBuilder("Start[client nat " + ModelUniverse.NATS[clientNat]
                    + ", gateway nat " + ModelUniverse.NATS[gatewayNat]);
            for (int i = 0; i < initial.size(); i++) {
                s.append(", slot ").append(i).append(' ').append(initial.get(i) == null ? "absent" : initial.get(i));
            }
            s.append(", authorised");
            for (int i = 0; i < authorised.length; i++) {
                s.append(authorised[i] ? " " + i : "");
            }
            return s.append(']').toString();
        }
    }

    /** A decoded sequence: its start and its actions (at most {@value #MAX_ACTIONS}). */
    record Sequence(Start start, List<ModelAction> actions) {
        static final int MAX_ACTIONS = 40;

        static Sequence decode(FuzzedDataProvider data) {
            List<Spec> initial = new ArrayList<>();
            for (int i = 0; i < ModelUniverse.SLOTS; i++) {
                initial.add(data.consumeBoolean() ? spec(data) : null);
            }
            boolean[] authorised = new boolean[ModelUniverse.SLOTS + 1];
            for (int i = 0; i < authorised.length; i++) {
                authorised[i] = data.consumeInt(0, 3) != 0;
            }
            Start start = new Start(data.consumeInt(0, ModelUniverse.NATS.length - 1),
                    data.consumeInt(0, ModelUniverse.NATS.length - 1), initial, authorised);
            List<ModelAction> actions = new ArrayList<>();
            while (actions.size() < MAX_ACTIONS && data.remainingBytes() > 0) {
                actions.add(action(data));
            }
            return new Sequence(start, actions);
        }

        private static Spec spec(FuzzedDataProvider data) {
            boolean dns = data.consumeBoolean();
            return new Spec(dns, data.consumeInt(0, dns ? ModelUniverse.PATTERNS.length - 1
                    : ModelUniverse.CIDRS.length - 1), data.consumeBoolean() ? "lab" : "hq",
                    data.consumeInt(0, ModelUniverse.FILTERS.size() - 1));
        }

        private static String site(FuzzedDataProvider data) {
            return data.consumeBoolean() ? "lab" : "hq";
        }

        /** Probes and queries are the most frequent: they are what the invariants judge. */
        private static ModelAction action(FuzzedDataProvider data) {
            int op = data.consumeInt(0, 31);
            int slots = ModelUniverse.SLOTS;
            return switch (op) {
                case 0, 1 -> new Upsert(data.consumeInt(0, slots - 1), spec(data));
                case 2 -> new Remove(data.consumeInt(0, slots - 1));
                case 3, 4 -> new Authorise(data.consumeInt(0, slots));
                case 5 -> new Revoke(data.consumeInt(0, slots));
                case 6 -> new Expire(data.consumeInt(0, slots), data.consumeInt(5, 40));
                case 7 -> new ToggleInternet();
                case 8, 9, 10, 11, 12, 13, 14, 15 -> new Probe(ModelUniverse.Kind.values()[data.consumeInt(0, 3)],
                        data.consumeInt(0, ModelUniverse.TARGETS.length + ModelUniverse.DNS_NAMES - 1),
                        data.consumeInt(0, 7));
                case 16, 17, 18, 19 -> new Query(data.consumeInt(0, ModelUniverse.NAMES.length - 1),
                        data.consumeInt(0, ModelUniverse.QUERY_TYPES.length - 1));
                case 20 -> new Roam();
                case 21 -> new RestartClient();
                case 22 -> new RestartGateway(site(data));
                case 23 -> new PartitionGateway(site(data), data.consumeBoolean() ? data.consumeInt(1, 4)
                        : data.consumeInt(90, 150));
                case 24 -> new DeployRelay();
                case 25 -> new PartitionRelay(data.consumeInt(0, 3), data.consumeBoolean() ? data.consumeInt(1, 4)
                        : data.consumeInt(90, 150));
                case 26 -> new RebootRelay(data.consumeInt(0, 3));
                case 27, 28 -> new Idle(data.consumeInt(1, 10));
                case 29 -> new ReconnectControlPlane(site(data), data.consumeInt(1, 30));
                default -> new Idle(0);
            };
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder(start.toString());
            for (int i = 0; i < actions.size(); i++) {
                s.append("\n  ").append(i).append(": ").append(actions.get(i));
            }
            return s.toString();
        }
    }
}
