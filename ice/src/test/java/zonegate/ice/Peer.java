package zonegate.ice;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** One simulated host: an agent, its host socket, optionally a NAT in front and a relayed address. */
final class Peer {
    /** A datagram the agent sent, with the instant. */
    record Sent(long atNs, IceTransmit transmit, Stun.Kind kind) {
    }

    /** An event with the instant it was polled. */
    record Timed(long atNs, IceEvent event) {
    }

    /** A non-STUN datagram that reached this host. */
    record Data(long atNs, InetSocketAddress local, InetSocketAddress from, String text) {
    }

    final String name;
    final IceAgent agent;
    final InetSocketAddress host;
    final Nat nat;
    InetSocketAddress relayed;
    final List<Sent> sent = new ArrayList<>();
    final List<Timed> events = new ArrayList<>();
    final List<Data> data = new ArrayList<>();

    Peer(String name, IceConfig config, IceRole role, InetSocketAddress host, Nat nat, long seed, long nowNs) {
        SplittableRandom random = new SplittableRandom(seed);
        this.name = name;
        this.agent = new IceAgent(config, role, IceCredentials.random(random), random, nowNs);
        this.host = host;
        this.nat = nat;
    }

    String tag() {
        return "ice " + agent.localCredentials().ufrag();
    }

    <T extends IceEvent> List<T> eventsOf(Class<T> type) {
        return events.stream().map(Timed::event).filter(type::isInstance).map(type::cast).toList();
    }

    /** Instants at which this agent sent STUN of {@code kind}. */
    List<Long> sentAt(Stun.Kind kind) {
        return sent.stream().filter(s -> s.kind() == kind).map(Sent::atNs).toList();
    }

    /** The instant the agent entered {@code state}, or -1. */
    long enteredAt(IceState state) {
        return events.stream().filter(t -> t.event() instanceof IceEvent.StateChanged(var from, var to) && to == state)
                .mapToLong(Timed::atNs).findFirst().orElse(-1);
    }
}
