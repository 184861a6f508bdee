package zonegate.app.internal.client;

import java.io.IOException;
import java.net.InetAddress;
import zonegate.filter.Cidr;
import zonegate.shell.io.Rtnetlink;

/**
 * What the client changes on the host to put its TUN device to use: the device's addresses, routes into it
 * (in the main table or the Internet resource's own table) and policy rules. {@link NetlinkDevice} does it
 * through rtnetlink; tests record the calls. Called on the state thread only.
 */
interface DeviceSettings {
    void addAddress(InetAddress address, int prefixBits) throws IOException;

    void removeAddress(InetAddress address, int prefixBits) throws IOException;

    /** Routes {@code range} into the device, in routing table {@code table}. */
    void addRoute(Cidr range, int table) throws IOException;

    void removeRoute(Cidr range, int table) throws IOException;

    void addRule(Rtnetlink.Rule rule) throws IOException;

    void removeRule(Rtnetlink.Rule rule) throws IOException;
}
