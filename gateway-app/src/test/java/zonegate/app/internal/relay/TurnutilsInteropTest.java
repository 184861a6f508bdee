package zonegate.app.internal.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import zonegate.shell.io.NativeIoException;
import zonegate.turn.server.RelayConfig;

/**
 * coturn's {@code turnutils_uclient} (Debian package {@code coturn}) against our relay on loopback: two
 * clients allocate, permit each other's relayed address and exchange 50 messages each through the relay,
 * by ChannelData and by SEND/DATA indications, with a static user and with TURN REST credentials. Every
 * message sent must come back (uclient's own counters). uclient draws channel numbers from RFC 5766's
 * 0x4000-0x7FFF, so the ChannelData cases also cover the relay accepting that range. The relay runs
 * with the default peer policy: the peers are its own relayed addresses on 127.0.0.1 (loopback and a
 * host address, refused at every port but those of the relay range). Skipped when the tool is missing,
 * unless {@code ZG_INTEROP=required}.
 */
@Timeout(90)
class TurnutilsInteropTest {
    private static final Path UCLIENT = Path.of("/usr/bin/turnutils_uclient");
    private static final Pattern LOST = Pattern.compile("Total lost packets (\\d+)");
    private static final Pattern SENT = Pattern.compile("Total transmit time is \\d+");
    private static final Pattern TOTALS = Pattern.compile("tot_send_msgs=(\\d+), tot_recv_msgs=(\\d+)\\s*$",
            Pattern.MULTILINE);
    private static final int MESSAGES = 50;
    private static final int CLIENTS = 2;
    private static final int RELAY_PORTS = 20;
    private static final String SECRET = "rest-secret";

    @Test
    void channelDataRelaysEveryMessage() throws Exception {
        assertNoLoss(List.of("-u", "user", "-w", "pass"));
    }

    @Test
    void channelDataWithRestCredentialsRelaysEveryMessage() throws Exception {
        assertNoLoss(List.of("-u", "account", "-W", SECRET));
    }

    @Test
    void sendIndicationsRelayEveryMessage() throws Exception {
        assertNoLoss(List.of("-s", "-u", "user", "-w", "pass"));
    }

    @Test
    void sendIndicationsWithRestCredentialsRelayEveryMessage() throws Exception {
        assertNoLoss(List.of("-s", "-u", "account", "-W", SECRET));
    }

    private static void assertNoLoss(List<String> credentials) throws Exception {
        boolean required = "required".equals(System.getenv("ZG_INTEROP"));
        if (!required) {
            Assumptions.assumeTrue(Files.isExecutable(UCLIENT), "turnutils_uclient missing (apt-get install coturn)");
        }
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (RelayRuntime relay = startOnFreeRange(loopback)) {
            List<String> command = new ArrayList<>(List.of("timeout", "30", UCLIENT.toString()));
            command.addAll(credentials);
            command.addAll(List.of("-c", "-y", "-e", "127.0.0.1", "-r", "3480", "-n", Integer.toString(MESSAGES),
                    "-m", Integer.toString(CLIENTS), "-l", "100", "-z", "5",
                    "-p", Integer.toString(relay.listenAddress().getPort()), "127.0.0.1"));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = process.waitFor();
            assertEquals(0, exit, () -> "turnutils_uclient failed:\n" + output);
            Matcher lost = LOST.matcher(output);
            assertTrue(lost.find(), () -> "no loss report in:\n" + output);
            assertEquals("0", lost.group(1), () -> "lost messages:\n" + output);
            assertTrue(SENT.matcher(output).find(), () -> "no transmit report in:\n" + output);
            Matcher totals = TOTALS.matcher(output);
            assertTrue(totals.find(), () -> "no message totals in:\n" + output);
            assertEquals(Integer.toString(MESSAGES * CLIENTS), totals.group(1), () -> "messages sent:\n" + output);
            assertEquals(totals.group(1), totals.group(2), () -> "messages received:\n" + output);
        }
    }

    /** Relay ports are fixed at start; try a few random ranges in case another process holds one. */
    private static RelayRuntime startOnFreeRange(InetAddress loopback) throws IOException {
        SplittableRandom random = new SplittableRandom();
        NativeIoException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int low = random.nextInt(40_000, 60_000);
            RelayConfig config = RelayConfig.of("zonegate.test", loopback, null, low, low + RELAY_PORTS - 1)
                    .withStaticUsers(Map.of("user", "pass"))
                    .withRestSecret(SECRET.getBytes(StandardCharsets.UTF_8));
            try {
                return RelayRuntime.start(config, new InetSocketAddress(loopback, 0));
            } catch (NativeIoException e) {
                last = e;
            }
        }
        throw last;
    }
}
