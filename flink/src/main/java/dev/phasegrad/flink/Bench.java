package dev.phasegrad.flink;

import dev.phasegrad.PhaseInverter;
import dev.phasegrad.flink.InvertFrames.StateMode;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code phasegrad flink bench}: frames per second through the keyed operator on an embedded
 * MiniCluster at parallelism 1 and 2, in both state modes, against the plain library on the same frames
 * in one thread; and the latency of a hop at real-time pacing for several buffer timeouts. The sinks
 * time hops with statics, so this runs embedded only (one JVM), never under {@code flink run}.
 */
final class Bench {
    private Bench() {}

    /** Steady-state rate: from the first hop to the last at the sink. */
    static final AtomicLong FIRST = new AtomicLong();

    static final AtomicLong LAST = new AtomicLong();
    static final AtomicLong HOPS = new AtomicLong();
    /** Emission time (ns) of each paced frame by "stream#seq", and latencies of their hops (µs). */
    static final Map<String, Long> SENT = new ConcurrentHashMap<>();

    static final Map<String, Long> LATENCY_US = new ConcurrentHashMap<>();

    static final class TimingSink implements Sink<PcmHop> {
        private static final long serialVersionUID = 1L;

        @Override
        public SinkWriter<PcmHop> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(PcmHop hop, Context c) {
                    long now = System.nanoTime();
                    FIRST.compareAndSet(0, now);
                    LAST.accumulateAndGet(now, Math::max);
                    HOPS.incrementAndGet();
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

    /** Frames per second of the plain library, one thread, {@code streams} inverters, frames interleaved. */
    static double plain(InverterSpec spec, int streams, int frames, StateMode snapshotting) {
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
        return (double) streams * frames / ((System.nanoTime() - t0) / 1e9);
    }

    /** Frames per second through the job at {@code parallelism}, first hop to last. */
    static double flink(InverterSpec spec, int streams, int frames, int parallelism, StateMode mode) throws Exception {
        FIRST.set(0);
        LAST.set(0);
        HOPS.set(0);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Streams.forbidGenericTypes(env);
        env.setParallelism(parallelism);
        ClipFrameGenerator gen = new ClipFrameGenerator(spec, streams, frames);
        DataStream<Frame> in =
                env.fromSequence(0, gen.count() - 1).setParallelism(1).map(gen).setParallelism(1);
        Streams.invert(in, spec, mode).sinkTo(new TimingSink());
        env.execute("phasegrad bench p" + parallelism + " " + mode);
        if (HOPS.get() != gen.count()) {
            throw new IllegalStateException("bench: " + HOPS.get() + " hops for " + gen.count() + " frames and ends");
        }
        return (HOPS.get() - 1) / ((LAST.get() - FIRST.get()) / 1e9);
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
        long[] us = LATENCY_US.values().stream().mapToLong(Long::longValue).sorted().toArray();
        return new double[] {percentile(us, 0.5) / 1000.0, percentile(us, 0.99) / 1000.0, us[us.length - 1] / 1000.0};
    }

    private static long percentile(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }

    static void run(InverterSpec spec, int streams, int frames, int[] parallelisms) throws Exception {
        System.out.printf(Locale.ROOT, "method %s, %d/%d at %d Hz, %d streams x %d frames%n",
                spec.method(), spec.fftSize(), spec.hop(), spec.sampleRate(), streams, frames);
        plain(spec, streams, Math.min(frames, 100), null); // warm-up
        System.out.printf(Locale.ROOT, "%-44s %12s%n", "run", "frames/s");
        System.out.printf(Locale.ROOT, "%-44s %12.0f%n", "plain library, 1 thread", plain(spec, streams, frames, null));
        System.out.printf(Locale.ROOT, "%-44s %12.0f%n", "plain + snapshot per frame",
                plain(spec, streams, frames, StateMode.CACHED));
        System.out.printf(Locale.ROOT, "%-44s %12.0f%n", "plain + restore and snapshot per frame",
                plain(spec, streams, frames, StateMode.RESTORE_PER_FRAME));
        for (int p : parallelisms) {
            for (StateMode mode : StateMode.values()) {
                System.out.printf(Locale.ROOT, "%-44s %12.0f%n", "flink p" + p + " " + mode.name().toLowerCase(Locale.ROOT),
                        flink(spec, streams, frames, p, mode));
            }
        }
        int pacedFrames = 200;
        System.out.printf(Locale.ROOT, "%nlatency frame -> hop at real-time pacing (%d streams x %d frames, p%d)%n",
                streams, pacedFrames, parallelisms[parallelisms.length - 1]);
        System.out.printf(Locale.ROOT, "%-20s %8s %8s %8s%n", "buffer timeout", "p50 ms", "p99 ms", "max ms");
        for (long timeout : new long[] {100, 10, 0}) {
            double[] l = latency(spec, streams, pacedFrames, parallelisms[parallelisms.length - 1], timeout);
            System.out.printf(Locale.ROOT, "%-20s %8.2f %8.2f %8.2f%n", timeout + " ms", l[0], l[1], l[2]);
        }
    }
}
