package dev.phasegrad.flink;

import com.sun.management.OperatingSystemMXBean;
import dev.phasegrad.PhaseInverter;
import dev.phasegrad.flink.InvertFrames.StateMode;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code phasegrad flink bench}: frames per second through the keyed operator on an embedded
 * MiniCluster at parallelism 1 and 2, in both state modes, against the plain library on the same frames
 * in one thread (wall-clock frames/s from the first hop to the last, and CPU time per frame of the whole
 * process over the same span, which a machine shared with other work distorts less); and the latency of
 * a hop at real-time pacing for several buffer timeouts. The sinks
 * time hops with statics, so this runs embedded only (one JVM), never under {@code flink run}.
 */
final class Bench {
    private Bench() {}

    /** Steady-state rate: from the first hop to the last at the sink. */
    static final AtomicLong FIRST = new AtomicLong();

    static final AtomicLong LAST = new AtomicLong();
    static final AtomicLong HOPS = new AtomicLong();
    /** Hops expected, and the process's CPU time (ns, all threads) at the first and the last of them. */
    static final AtomicLong EXPECTED = new AtomicLong();

    static final AtomicLong FIRST_CPU = new AtomicLong();
    static final AtomicLong LAST_CPU = new AtomicLong();
    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    /** Emission time (ns) of each paced frame by "stream#seq", and latencies of their hops (µs). */
    static final Map<String, Long> SENT = new ConcurrentHashMap<>();

    static final Map<String, Long> LATENCY_US = new ConcurrentHashMap<>();

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    static final class TimingSink implements Sink<PcmHop> {
        private static final long serialVersionUID = 1L;

        @Override
        public SinkWriter<PcmHop> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(PcmHop hop, Context c) {
                    long now = System.nanoTime();
                    if (FIRST.compareAndSet(0, now)) {
                        FIRST_CPU.set(OS.getProcessCpuTime());
                    }
                    LAST.accumulateAndGet(now, Math::max);
                    if (HOPS.incrementAndGet() == EXPECTED.get()) {
                        LAST_CPU.set(OS.getProcessCpuTime());
                    }
                    Long sent = SENT.remove(hop.stream + "#" + hop.seq);
                    if (sent != null) {
                        LATENCY_US.put(hop.stream + "#" + hop.seq, (now - sent) / 1000);
                    }
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }

    /** Holds each number back until its frame's real time (one hop per round of streams), and stamps it. */
    static final class Pace implements MapFunction<Long, Long> {
        private static final long serialVersionUID = 1L;
        private final int streams;
        private final long hopNanos;
        private transient long start;

        Pace(int streams, long hopNanos) {
            this.streams = streams;
            this.hopNanos = hopNanos;
        }

        @Override
        public Long map(Long i) throws InterruptedException {
            if (start == 0) {
                start = System.nanoTime();
            }
            long due = start + (i / streams) * hopNanos;
            for (long wait; (wait = due - System.nanoTime()) > 0; ) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            SENT.put(ClipFrameGenerator.streamId((int) (i % streams)) + "#" + i / streams, System.nanoTime());
            return i;
        }
    }

    /** Frames per second and CPU µs per frame of the plain library, one thread, frames interleaved. */
    static double[] plain(InverterSpec spec, int streams, int frames, StateMode snapshotting) {
        PhaseInverter[] inv = new PhaseInverter[streams];
        float[][][] clip = new float[streams][][];
        for (int s = 0; s < streams; s++) {
            inv[s] = spec.build();
            clip[s] = ClipFrames.frames(s, spec.stft());
        }
        float[] pcm = new float[inv[0].hop()];
        PhaseInverter scratch = spec.build();
        byte[][] state = new byte[streams][];
        long t0 = System.nanoTime();
        long c0 = THREADS.getCurrentThreadCpuTime();
        for (int t = 0; t < frames; t++) {
            for (int s = 0; s < streams; s++) {
                float[] frame = clip[s][t % clip[s].length];
                if (snapshotting == null) {
                    inv[s].push(frame, pcm);
                } else if (snapshotting == StateMode.CACHED) {
                    inv[s].push(frame, pcm);
                    state[s] = inv[s].snapshot();
                } else {
                    if (state[s] == null) {
                        scratch.reset();
                    } else {
                        scratch.restore(state[s]);
                    }
                    scratch.push(frame, pcm);
                    state[s] = scratch.snapshot();
                }
            }
        }
        double n = (double) streams * frames;
        return new double[] {n / ((System.nanoTime() - t0) / 1e9), (THREADS.getCurrentThreadCpuTime() - c0) / 1e3 / n};
    }

    /** Frames per second through the job, and CPU µs per frame of the whole process, first hop to last. */
    static double[] flink(InverterSpec spec, int streams, int frames, int parallelism, StateMode mode, String backend)
            throws Exception {
        FIRST.set(0);
        LAST.set(0);
        HOPS.set(0);
        FIRST_CPU.set(0);
        LAST_CPU.set(0);
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, backend);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        Streams.forbidGenericTypes(env);
        env.setParallelism(parallelism);
        ClipFrameGenerator gen = new ClipFrameGenerator(spec, streams, frames);
        EXPECTED.set(gen.count());
        DataStream<Frame> in =
                env.fromSequence(0, gen.count() - 1).setParallelism(1).map(gen).setParallelism(1);
        Streams.invert(in, spec, mode).sinkTo(new TimingSink());
        env.execute("phasegrad bench p" + parallelism + " " + mode + " " + backend);
        if (HOPS.get() != gen.count()) {
            throw new IllegalStateException("bench: " + HOPS.get() + " hops for " + gen.count() + " frames and ends");
        }
        return new double[] {
            (HOPS.get() - 1) / ((LAST.get() - FIRST.get()) / 1e9),
            (LAST_CPU.get() - FIRST_CPU.get()) / 1e3 / (HOPS.get() - 1)
        };
    }

    /** p50, p99 and max latency (ms) of hops at real-time pacing with the given buffer timeout. */
    static double[] latency(InverterSpec spec, int streams, int frames, int parallelism, long bufferTimeout)
            throws Exception {
        SENT.clear();
        LATENCY_US.clear();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Streams.forbidGenericTypes(env);
        env.setParallelism(parallelism);
        env.setBufferTimeout(bufferTimeout);
        ClipFrameGenerator gen = new ClipFrameGenerator(spec, streams, frames);
        EXPECTED.set(gen.count());
        long hopNanos = 1_000_000_000L * spec.hop() / spec.sampleRate();
        DataStream<Frame> in = env.fromSequence(0, gen.count() - 1)
                .setParallelism(1)
                .map(new Pace(streams, hopNanos))
                .setParallelism(1)
                .map(gen)
                .setParallelism(1);
        Streams.invert(in, spec).sinkTo(new TimingSink());
        env.execute("phasegrad latency, buffer timeout " + bufferTimeout);
        // every hop, the first ones (class loading, JIT warm-up) included
        long[] us =
                LATENCY_US.values().stream().mapToLong(Long::longValue).sorted().toArray();
        return new double[] {percentile(us, 0.5) / 1000.0, percentile(us, 0.99) / 1000.0, us[us.length - 1] / 1000.0};
    }

    private static long percentile(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }

    /** One measured configuration. */
    private record Run(String name, Callable<double[]> measure) {}

    static void run(InverterSpec spec, int streams, int frames, int[] parallelisms, int rounds) throws Exception {
        System.out.printf(
                Locale.ROOT,
                "method %s, %d/%d at %d Hz, %d streams x %d frames, median of %d rounds%n",
                spec.method(),
                spec.fftSize(),
                spec.hop(),
                spec.sampleRate(),
                streams,
                frames,
                rounds);
        List<Run> runs = new ArrayList<>();
        runs.add(new Run("plain library, 1 thread", () -> plain(spec, streams, frames, null)));
        runs.add(new Run("plain + snapshot per frame", () -> plain(spec, streams, frames, StateMode.CACHED)));
        runs.add(new Run(
                "plain + restore + snapshot per frame",
                () -> plain(spec, streams, frames, StateMode.RESTORE_PER_FRAME)));
        for (int p : parallelisms) {
            for (StateMode mode : StateMode.values()) {
                runs.add(new Run(
                        "flink p" + p + " " + mode.name().toLowerCase(Locale.ROOT) + " heap",
                        () -> flink(spec, streams, frames, p, mode, "hashmap")));
            }
        }
        for (StateMode mode : StateMode.values()) {
            runs.add(new Run(
                    "flink p1 " + mode.name().toLowerCase(Locale.ROOT) + " rocksdb",
                    () -> flink(spec, streams, frames, 1, mode, "rocksdb")));
        }
        // warm-up: the JIT compiles the inverter and Flink's paths before anything is timed
        plain(spec, streams, frames, null);
        flink(spec, streams, frames, 1, StateMode.CACHED, "hashmap");
        double[][] rate = new double[runs.size()][rounds];
        double[][] cpu = new double[runs.size()][rounds];
        for (int r = 0; r < rounds; r++) { // rounds interleaved, so a busy spell on the machine hits all rows
            for (int i = 0; i < runs.size(); i++) {
                double[] m = runs.get(i).measure().call();
                rate[i][r] = m[0];
                cpu[i][r] = m[1];
            }
        }
        System.out.printf(
                Locale.ROOT,
                "load average %.1f on %d cores after the runs%n",
                OS.getSystemLoadAverage(),
                OS.getAvailableProcessors());
        System.out.printf(Locale.ROOT, "%-40s %10s %10s %10s %14s%n", "run", "frames/s", "min", "max", "CPU us/frame");
        for (int i = 0; i < runs.size(); i++) {
            double[] x = rate[i].clone();
            double[] c = cpu[i].clone();
            Arrays.sort(x);
            Arrays.sort(c);
            System.out.printf(
                    Locale.ROOT,
                    "%-40s %10.0f %10.0f %10.0f %14.1f%n",
                    runs.get(i).name(),
                    x[x.length / 2],
                    x[0],
                    x[x.length - 1],
                    c[c.length / 2]);
        }
        int pacedFrames = 200;
        System.out.printf(
                Locale.ROOT,
                "%nlatency frame -> hop at real-time pacing (%d streams x %d frames, p%d)%n",
                streams,
                pacedFrames,
                parallelisms[parallelisms.length - 1]);
        System.out.printf(Locale.ROOT, "%-20s %8s %8s %8s%n", "buffer timeout", "p50 ms", "p99 ms", "max ms");
        for (long timeout : new long[] {100, 10, 0}) {
            double[] l = latency(spec, streams, pacedFrames, parallelisms[parallelisms.length - 1], timeout);
            System.out.printf(Locale.ROOT, "%-20s %8.2f %8.2f %8.2f%n", timeout + " ms", l[0], l[1], l[2]);
        }
    }
}
