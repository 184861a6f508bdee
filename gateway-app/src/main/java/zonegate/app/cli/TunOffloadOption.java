package zonegate.app.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** {@code --tun-offload on|off}, shared by the commands that create a TUN device (a picocli mixin). */
final class TunOffloadOption {
    @Option(names = "--tun-offload", paramLabel = "on|off", defaultValue = "on",
            description = "TUN offloads (default: ${DEFAULT-VALUE}): read TSO/USO super-packets of up to 64 KiB and "
                    + "cut them into packets, and write runs of one TCP flow's segments as one super-packet "
                    + "(IFF_VNET_HDR, TUNSETOFFLOAD; what the kernel refuses is left out and logged). off: one "
                    + "read or write per packet.")
    String tunOffload;

    /** True for on, false for off, null (after a message on {@code err}) for anything else. */
    Boolean enabled(String command, PrintWriter err) {
        return switch (tunOffload) {
            case "on" -> Boolean.TRUE;
            case "off" -> Boolean.FALSE;
            default -> {
                err.println(command + ": --tun-offload must be on or off, not " + tunOffload);
                err.flush();
                yield null;
            }
        };
    }
}
