package dev.phasegrad.server;

import com.sun.management.OperatingSystemMXBean;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.atomic.AtomicInteger;

/** The service's Prometheus metrics, in a registry of its own (two servers in one process do not mix). */
final class ServerMetrics {
    /** Why a stream ended: the label values of {@code phasegrad_stream_closes_total}. */
    enum CloseReason {
        end,
        bad_frame,
        bad_setup,
        protocol,
        capacity,
        slow_client,
        idle,
        too_big,
        vanished,
        error
    }

    static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    final AtomicInteger open = new AtomicInteger();
    private final Counter frames;
    private final Counter streams;
    private final Histogram hop;
    private final CounterDataPoint[] closes;
    private final FrameRate rate = new FrameRate();

    ServerMetrics() {
        GaugeWithCallback.builder()
                .name("phasegrad_streams_open")
                .help("Streams open now")
                .callback(cb -> cb.call(open.get()))
                .register(registry);
        streams = Counter.builder()
                .name("phasegrad_streams_total")
                .help("Streams opened (setup accepted)")
                .register(registry);
        frames = Counter.builder()
                .name("phasegrad_frames_total")
                .help("Frames inverted")
                .register(registry);
        GaugeWithCallback.builder()
                .name("phasegrad_frames_per_second")
                .help("Frames inverted per second over the interval since the previous reading (at least 1 s)")
                .callback(cb -> cb.call(rate.read(frames.get())))
                .register(registry);
        hop = Histogram.builder()
                .name("phasegrad_hop_processing_seconds")
                .help("Time to invert one frame and encode its PCM")
                .classicOnly()
                .classicUpperBounds(
                        25e-6, 50e-6, 100e-6, 200e-6, 400e-6, 800e-6, 1.6e-3, 3.2e-3, 6.4e-3, 12.8e-3, 25.6e-3, 51.2e-3)
                .register(registry);
        Counter closeCounter = Counter.builder()
                .name("phasegrad_stream_closes_total")
                .help("Streams ended, by reason")
                .labelNames("reason")
                .register(registry);
        CloseReason[] reasons = CloseReason.values();
        closes = new CounterDataPoint[reasons.length];
        for (CloseReason r : reasons) {
            closes[r.ordinal()] = closeCounter.labelValues(r.name());
        }
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        CounterWithCallback.builder()
                .name("phasegrad_process_cpu_seconds")
                .help("CPU time of the server process")
                .callback(cb -> cb.call(os.getProcessCpuTime() / 1e9))
                .register(registry);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        GaugeWithCallback.builder()
                .name("phasegrad_heap_used_bytes")
                .help("Java heap in use")
                .callback(cb -> cb.call(memory.getHeapMemoryUsage().getUsed()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("phasegrad_heap_max_bytes")
                .help("Java heap limit")
                .callback(cb -> cb.call(memory.getHeapMemoryUsage().getMax()))
                .register(registry);
    }

    void streamStarted() {
        streams.inc();
    }

    void frame(long nanos) {
        frames.inc();
        hop.observe(nanos * 1e-9);
    }

    void closed(CloseReason reason) {
        closes[reason.ordinal()].inc();
    }

    byte[] text() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        writer.write(out, registry.scrape());
        return out.toByteArray();
    }

    /** Frames per second between readings taken at least a second apart. */
    private static final class FrameRate {
        private long lastNanos = System.nanoTime();
        private double lastCount;
        private double rate;

        synchronized double read(double count) {
            long now = System.nanoTime();
            if (now - lastNanos >= 1_000_000_000L) {
                rate = (count - lastCount) / ((now - lastNanos) * 1e-9);
                lastNanos = now;
                lastCount = count;
            }
            return rate;
        }
    }
}
