/**
 * The zonegate I/O runtime, shared by the gateway, client and relay runtimes and by services that embed
 * zonegate without its command line: the event loop that drives one sans-IO state machine
 * ({@link zonegate.shell.loop.EventLoop}, {@link zonegate.shell.loop.StateMachineDriver}) and the Linux I/O
 * it reads and writes through the Foreign Function & Memory API ({@code zonegate.shell.io}: TUN devices,
 * batched UDP sockets with GSO, epoll, rtnetlink, network namespaces, capabilities). It knows buffers and
 * file descriptors, not protocols: nothing here depends on a zonegate module but {@code zonegate.packet}.
 *
 * <p>Run with {@code --enable-native-access=zonegate.shell}.
 */
module zonegate.shell {
    requires transitive zonegate.packet;
    requires org.jctools.core;
    requires org.tinylog.api;

    exports zonegate.shell.io;
    exports zonegate.shell.loop;
}
