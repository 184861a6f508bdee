package zonegate.app.internal.controlplane;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;

/**
 * Watches one file for changes on a virtual thread and runs a callback once per burst of changes
 * ({@link ReloadDebouncer}). The directory is watched, not the file, so that editors and deployment
 * tools that replace the file by renaming a new one over it are seen too; when the file is a symbolic
 * link (as Kubernetes mounts ConfigMaps) every change in the directory counts, because the link's
 * target changes without the link's own name appearing in any event.
 */
final class FileWatch implements AutoCloseable {
    private final WatchService service;
    private final Thread thread;

    private FileWatch(WatchService service, Thread thread) {
        this.service = service;
        this.thread = thread;
    }

    /**
     * Starts watching {@code file}. If its directory cannot be watched, logs why and returns a watch
     * that never fires (SIGHUP still reloads).
     */
    static FileWatch start(Path file, long quietNs, long maxDelayNs, Runnable onChange) {
        Path absolute = file.toAbsolutePath();
        Path directory = absolute.getParent();
        WatchService service;
        try {
            service = directory.getFileSystem().newWatchService();
            directory.register(service, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE);
        } catch (IOException | UnsupportedOperationException e) {
            Logger.warn("cannot watch {} for changes ({}); reload with SIGHUP instead", directory, e.toString());
            return new FileWatch(null, null);
        }
        boolean anyChange = Files.isSymbolicLink(absolute);
        ReloadDebouncer debouncer = new ReloadDebouncer(quietNs, maxDelayNs);
        Thread thread = Thread.ofVirtual().name("zonegate-config-watch").start(() ->
                watch(service, absolute.getFileName(), anyChange, debouncer, onChange));
        return new FileWatch(service, thread);
    }

    @Override
    public void close() {
        if (service == null) {
            return;
        }
        try {
            service.close();
            thread.join();
        } catch (IOException e) {
            Logger.debug("closing the configuration watch: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void watch(WatchService service, Path name, boolean anyChange, ReloadDebouncer debouncer,
            Runnable onChange) {
        try {
            while (true) {
                WatchKey key = debouncer.pending()
                        ? service.poll(debouncer.remainingNs(System.nanoTime()), TimeUnit.NANOSECONDS)
                        : service.take();
                if (key != null) {
                    boolean relevant = false;
                    for (WatchEvent<?> event : key.pollEvents()) {
                        relevant |= anyChange || event.kind() == OVERFLOW || name.equals(event.context());
                    }
                    if (!key.reset()) {
                        Logger.warn("the directory of {} can no longer be watched; reload with SIGHUP", name);
                        return;
                    }
                    if (relevant) {
                        debouncer.onChange(System.nanoTime());
                    }
                }
                if (debouncer.takeDue(System.nanoTime())) {
                    runGuarded(onChange);
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            Logger.debug("configuration watch stopped");
        }
    }

    private static void runGuarded(Runnable onChange) {
        try {
            onChange.run();
        } catch (RuntimeException e) {
            Logger.error(e, "reloading the configuration failed unexpectedly");
        }
    }
}
