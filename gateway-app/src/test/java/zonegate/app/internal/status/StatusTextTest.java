package zonegate.app.internal.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import zonegate.app.internal.status.StatusReport.Allocation;
import zonegate.app.internal.status.StatusReport.Client;
import zonegate.app.internal.status.StatusReport.Connection;
import zonegate.app.internal.status.StatusReport.DropTotal;
import zonegate.app.internal.status.StatusReport.Relay;
import zonegate.app.internal.status.StatusReport.Resource;
import zonegate.app.internal.status.StatusReport.Self;

/** The JSON answer and its {@code wg show}-like rendering. */
class StatusTextTest {
    private static final long NOW_MS = 1_700_000_000_000L;

    private static StatusReport gateway() {
        Client alice = new Client("alice", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", List.of("100.64.0.2",
                "fd00:2021:1111::2"), "198.51.100.7:41000", 65_400, 1_536, 3 * 1024 * 1024 + 512 * 1024,
                List.of(new Resource("lab", "cidr", "10.0.0.0/24", -1),
                        new Resource("web", "dns", "*.example.com", NOW_MS / 1000 + 90),
                        new Resource("net", "internet", null, NOW_MS / 1000 - 5)), 1,
                new Connection("connected", "relayed", "relay 192.0.2.50:50000", "srflx 203.0.113.9:4000",
                        "192.0.2.50:3478"));
        Client bob = new Client("bob", "BBBB", List.of("100.64.0.3", "fd00:2021:1111::3"), null, -1, 0, 0,
                List.of(), 0, null);
        return new StatusReport("gateway", NOW_MS, new Self("ice", "zg0", "GGGG", List.of("192.0.2.10:40000"),
                List.of("100.95.255.254/11")), List.of(alice, bob),
                List.of(new Relay("192.0.2.50:3478", List.of("192.0.2.50:50000"), 12, false)), List.of(),
                List.of(new DropTotal("gateway", "filtered", 9), new DropTotal("loop", "send_error", 1)));
    }

    @Test
    void theJsonNamesEveryFieldWithItsUnitAndNullForNone() {
        String json = StatusJson.write(gateway(), new DropWindow.Recent(60_000_000_000L, Map.of("gateway.filtered", 4L)));

        assertThat(json).endsWith("}\n")
                .contains("\"latest_handshake_unix_seconds\":" + (NOW_MS - 65_400) / 1000,
                        "\"latest_handshake_seconds_ago\":65", "\"rx_bytes\":1536",
                        "\"expires_at_unix_seconds\":null", "\"endpoint\":null", "\"connection\":null",
                        "\"window_seconds\":60", "{\"source\":\"gateway\",\"reason\":\"filtered\",\"recent\":4,\"total\":9}",
                        "{\"source\":\"loop\",\"reason\":\"send_error\",\"recent\":0,\"total\":1}");
        assertThat(StatusJson.errorOf(json)).isNull();
    }

    @Test
    void theTextReadsLikeWgShowWithZonegatesView() {
        String json = StatusJson.write(gateway(), new DropWindow.Recent(60_000_000_000L, Map.of("gateway.filtered", 4L)));

        String text = StatusText.render(json);

        assertThat(text).startsWith("""
                interface: zg0
                  mode: ice
                  public key: GGGG
                  listening on: 192.0.2.10:40000
                  tunnel addresses: 100.95.255.254/11
                  clients: 2

                client: alice
                  public key: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
                  endpoint: 198.51.100.7:41000
                  tunnel addresses: 100.64.0.2, fd00:2021:1111::2
                  latest handshake: 1 minute, 5 seconds ago
                  transfer: 1.50 KiB received, 3.50 MiB sent
                  connection: connected, relayed (relay 192.0.2.50:50000 -> srflx 203.0.113.9:4000), relay 192.0.2.50:3478
                  resources:
                    lab: cidr 10.0.0.0/24
                    web: dns *.example.com, expires 2023-11-14T22:14:50Z (in 1 minute, 30 seconds)
                    net: internet, expires 2023-11-14T22:13:15Z (expired)
                  NAT flows: 1

                client: bob
                  public key: BBBB
                  endpoint: (none)
                  tunnel addresses: 100.64.0.3, fd00:2021:1111::3
                  latest handshake: (none)
                  transfer: 0 B received, 0 B sent
                  resources: (none)
                  NAT flows: 0

                relay: 192.0.2.50:3478
                  relayed: 192.0.2.50:50000
                  rtt: 12 ms

                drops (last 1 minute / total):
                  gateway filtered: 4 / 9
                  loop send_error: 0 / 1
                """);
    }

    @Test
    void aRelaysTextListsItsAllocations() {
        StatusReport relay = new StatusReport("relay", NOW_MS, new Self("relay", null, null, List.of("192.0.2.50:3478"),
                List.of()), List.of(), List.of(), List.of(new Allocation("1700003600:gw", "198.51.100.7:41000",
                "192.0.2.50:49160", 2, 1, 2048, 100)), List.of());

        String text = StatusText.render(StatusJson.write(relay, new DropWindow.Recent(0, Map.of())));

        assertThat(text).isEqualTo("""
                relay: 192.0.2.50:3478
                  mode: relay
                  allocations: 1

                allocation: 198.51.100.7:41000
                  user: 1700003600:gw
                  relayed: 192.0.2.50:49160
                  permissions: 2, channels: 1
                  transfer: 2.00 KiB to peers, 100 B to the client

                drops: none
                """);
    }

    @Test
    void anErrorAnswerIsRecognisedAndRendered() {
        String json = StatusJson.error("not running yet");

        assertThat(StatusJson.errorOf(json)).isEqualTo("not running yet");
        assertThat(StatusText.render(json)).isEqualTo("error: not running yet\n");
    }

    @Test
    void durationsAndAmountsAreWrittenAsWgShowWritesThem() {
        assertThat(StatusText.duration(1)).isEqualTo("1 second");
        assertThat(StatusText.duration(3_661)).isEqualTo("1 hour, 1 minute, 1 second");
        assertThat(StatusText.duration(2 * 86_400 + 120)).isEqualTo("2 days, 2 minutes");
        assertThat(StatusText.bytes(1023)).isEqualTo("1023 B");
        assertThat(StatusText.bytes(5L << 30)).isEqualTo("5.00 GiB");
    }
}
