package zonegate.app.internal.client;

import java.net.InetAddress;
import zonegate.filter.Cidr;
import zonegate.shell.io.NativeIoException;
import zonegate.shell.io.Rtnetlink;

/**
 * {@link DeviceSettings} through rtnetlink on the TUN device {@code ifIndex}. Removing what is not there is
 * no error (the kernel removes a device's routes with it). Each change opens its own netlink socket on the
 * calling thread (a {@link Rtnetlink} belongs to the thread that opened it, and changes are rare: at a new
 * configuration from the portal), in that thread's network namespace.
 */
final class NetlinkDevice implements DeviceSettings {
    private final int ifIndex;

    /** @param ifIndex the device's interface index (any value when only rules are changed) */
    NetlinkDevice(int ifIndex) {
        this.ifIndex = ifIndex;
    }

    private interface Change {
        void run(Rtnetlink netlink) throws NativeIoException;
    }

    private static void change(Change change) throws NativeIoException {
        try (Rtnetlink netlink = Rtnetlink.open()) {
            change.run(netlink);
        }
    }

    @Override
    public void addAddress(InetAddress address, int prefixBits) throws NativeIoException {
        change(n -> n.addAddress(ifIndex, address, prefixBits));
    }

    @Override
    public void removeAddress(InetAddress address, int prefixBits) throws NativeIoException {
        change(n -> n.deleteAddress(ifIndex, address, prefixBits));
    }

    @Override
    public void addRoute(Cidr range, int table) throws NativeIoException {
        change(n -> n.addRoute(ifIndex, DeviceRoutes.address(range), range.prefixLengthBits(), table));
    }

    @Override
    public void removeRoute(Cidr range, int table) throws NativeIoException {
        change(n -> n.deleteRoute(ifIndex, DeviceRoutes.address(range), range.prefixLengthBits(), table));
    }

    @Override
    public void addRule(Rtnetlink.Rule rule) throws NativeIoException {
        change(n -> n.addRule(rule));
    }

    @Override
    public void removeRule(Rtnetlink.Rule rule) throws NativeIoException {
        change(n -> n.deleteRule(rule));
    }
}
