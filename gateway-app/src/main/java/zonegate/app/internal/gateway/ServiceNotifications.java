package zonegate.app.internal.gateway;

import org.tinylog.Logger;
import zonegate.shell.io.SystemdNotify;
import zonegate.shell.loop.EventLoop;

/**
 * What the gateway, relay and client commands tell a service manager (systemd {@code Type=notify}):
 * {@code READY=1} once their runtime listens, {@code STOPPING=1} when a stop begins, and, when the unit
 * has {@code WatchdogSec=}, {@code WATCHDOG=1} from the runtime's event-loop thread every half timeout,
 * so a wedged loop (not merely a live JVM) is what keeps the unit alive. Nothing is sent when the
 * process was not started with {@code $NOTIFY_SOCKET}.
 */
public final class ServiceNotifications {
    private final SystemdNotify notify;

    private ServiceNotifications(SystemdNotify notify) {
        this.notify = notify;
    }

    /**
     * Tells the service manager that {@code what} is ready (its {@code STATUS=} line) and starts the
     * watchdog pings on {@code loop}'s state thread if the unit asked for them.
     */
    public static ServiceNotifications ready(EventLoop loop, String what) {
        SystemdNotify notify = SystemdNotify.fromEnvironment();
        if (notify.enabled()) {
            if (notify.watchdogIntervalNs() > 0) {
                loop.setHeartbeat(notify.watchdogIntervalNs(), notify::watchdog);
            }
            notify.ready(what);
            Logger.debug("told the service manager: ready ({}), {}", what, notify);
        }
        return new ServiceNotifications(notify);
    }

    /** {@code STOPPING=1}: a graceful stop began (watchdog pings go on until the loop stops). */
    public void stopping() {
        notify.stopping();
    }
}
