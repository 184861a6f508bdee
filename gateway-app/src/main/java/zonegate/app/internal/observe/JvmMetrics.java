package zonegate.app.internal.observe;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JVM's memory, garbage collection and threads, from {@code java.lang.management} (the {@code gc} label
 * takes the collectors' names: two or three per JVM).
 */
public record JvmMetrics() implements MetricSource {
    @Override
    public void collect(MetricsBuilder out) {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        out.gauges("jvm_memory_used_bytes", "Memory in use, by area.", "area",
                        Map.of("heap", heap.getUsed(), "nonheap", nonHeap.getUsed()))
                .gauges("jvm_memory_committed_bytes", "Memory committed by the JVM, by area.", "area",
                        Map.of("heap", heap.getCommitted(), "nonheap", nonHeap.getCommitted()))
                .gauge("jvm_memory_heap_max_bytes", "The most heap the JVM may use (-1: no limit).", heap.getMax());
        Map<String, Long> collections = new LinkedHashMap<>();
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            collections.put(gc.getName(), Math.max(0, gc.getCollectionCount()));
            seconds.put(gc.getName(), Math.max(0, gc.getCollectionTime()) / 1e3);
        }
        out.counters("jvm_gc_collections_total", "Garbage collections, by collector.", "gc", collections)
                .counters("jvm_gc_collection_seconds_total", "Seconds spent collecting, by collector.", "gc", seconds)
                .gauge("jvm_threads", "Live platform threads (virtual threads not included).",
                        ManagementFactory.getThreadMXBean().getThreadCount())
                .gauge("jvm_uptime_seconds", "Seconds since the JVM started.",
                        ManagementFactory.getRuntimeMXBean().getUptime() / 1e3);
    }
}
