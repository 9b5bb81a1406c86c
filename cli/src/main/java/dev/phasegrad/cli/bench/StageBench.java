package dev.phasegrad.cli.bench;

import com.sun.management.ThreadMXBean;
import dev.phasegrad.derivatives.DerivativeEstimator;
import dev.phasegrad.derivatives.PhasorDerivativeEstimator;
import dev.phasegrad.invert.Inverter;
import dev.phasegrad.invert.LsInverter;
import dev.phasegrad.invert.Methods;
import dev.phasegrad.invert.StreamingInverter;
import dev.phasegrad.nn.PhaseModel;
import dev.phasegrad.nn.runtime.NetworkDerivatives;
import dev.phasegrad.stft.Spectrogram;
import dev.phasegrad.stft.Stft;
import dev.phasegrad.stft.StftConfig;
import dev.phasegrad.stft.StreamingIstft;
import dev.phasegrad.stft.StreamingStft;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-frame cost of every streaming inverter split by stage (STFT analysis, derivative estimation —
 * the network for the network methods —, phase reconstruction proper, ISTFT), plus real-time factor and
 * bytes allocated per frame, all measured in one run: methods are timed round-robin, one pass over
 * the clip each per round, after untimed warm-up rounds (at least {@value #WARMUP_ROUNDS} and 3 s), and the median round is
 * reported, so every row saw the same machine load. Times are CPU time of the benchmarking thread
 * (time spent preempted is not counted).
 */
public final class StageBench {
    /**
     * One row: microseconds per frame per stage; allocation in bytes per frame (whole chain). For LS methods
     * {@code estimatorUs} is the derivative estimator alone and {@code integrationUs} the LS integration alone
     * (driven by the same derivatives replayed from memory), each timed directly. {@code model} is the
     * network of a model-based method, null for the others.
     */
    public record Row(
            String method,
            StftConfig config,
            int lookahead,
            double stftUs,
            double estimatorUs,
            double integrationUs,
            double reconstructUs,
            double istftUs,
            double bytesPerFrame,
            int iterations,
            double estimatorVsPhasegrad,
            PhaseModel model) {
        /** End-to-end microseconds per frame: STFT + reconstruction (incl. estimator) + ISTFT. */
        public double totalUs() {
            return stftUs + reconstructUs + istftUs;
        }

        /** Processing time over audio duration, one thread. */
        public double realTimeFactor() {
            return totalUs() * 1e-6 / (config.hop() / (double) config.sampleRate());
        }
    }

    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Untimed passes first: one pass was not always enough for C2 to compile every method. */
    static final int WARMUP_ROUNDS = 3;
    /** ... and at least this much wall time of them. */
    static final long WARMUP_NANOS = 3_000_000_000L;

    private StageBench() {}

    /**
     * CPU time of this thread: on a machine shared with other jobs, wall time adds whatever the
     * scheduler takes away mid-pass, which made single runs vary by 2x; CPU time does not.
     */
    static long cpuNanos() {
        return THREADS.getCurrentThreadCpuTime();
    }

    /**
     * @param signal  speech to stream (analysed once per config)
     * @param methods method names; streaming ones are timed per push, offline ones (FGLA) per frame and iteration
     * @param rounds  timing rounds (median reported); at least 3 is sensible
     */
    public static List<Row> run(float[] signal, StftConfig config, List<String> methods, int rounds) {
        return run(signal, config, methods, Map.of(), rounds);
    }

    /**
     * Same, plus model files as extra network methods (LS integration with the model's stored weights),
     * timed in the same rounds as the named methods; {@code models} maps method name to model.
     */
    public static List<Row> run(
            float[] signal, StftConfig config, List<String> methods, Map<String, PhaseModel> models, int rounds) {
        Spectrogram truth = Stft.analyse(signal, config);
        float[][] mag = truth.magnitude();
        int frames = mag.length;
        int hop = config.hop();
        float[] padded = Arrays.copyOf(signal, frames * hop);
        Map<String, Inverter> inverters = new LinkedHashMap<>();
        Map<String, StreamingInverter> streaming = new LinkedHashMap<>();
        for (String m : methods) {
            if (Methods.get(m).isStreaming()) {
                StreamingInverter s = Methods.streaming(m, config, truth);
                streaming.put(m, s);
                inverters.put(m, s);
            } else {
                inverters.put(m, Methods.create(m, config, truth));
            }
        }
        for (Map.Entry<String, PhaseModel> e : models.entrySet()) {
            if (inverters.containsKey(e.getKey())) {
                throw new IllegalArgumentException("model name '" + e.getKey() + "' is already a method name");
            }
            LsInverter ls = Methods.network(e.getKey(), e.getValue(), config);
            streaming.put(e.getKey(), ls);
            inverters.put(e.getKey(), ls);
        }
        List<String> names = new ArrayList<>(inverters.keySet());
        int bins = config.bins();
        float[] re = new float[bins];
        float[] im = new float[bins];
        float[] outHop = new float[hop];
        StreamingStft stft = new StreamingStft(config);
        StreamingIstft istft = new StreamingIstft(config);
        float[] dt = new float[bins];
        float[] df = new float[bins - 1];
        float[] em = new float[bins];
        double[][] phasors = {new double[bins], new double[bins], new double[bins - 1], new double[bins - 1]};

        Map<String, double[]> recon = new LinkedHashMap<>();
        Map<String, double[]> est = new LinkedHashMap<>();
        Map<String, double[]> integ = new LinkedHashMap<>();
        Map<String, LsInverter> replays = new LinkedHashMap<>();
        for (Map.Entry<String, Inverter> e : inverters.entrySet()) {
            if (e.getValue() instanceof LsInverter ls) {
                DerivativeEstimator recorded = ls.estimator() instanceof PhasorDerivativeEstimator p
                        ? PhasorReplay.record(p, mag)
                        : Replay.record(ls.estimator(), mag);
                replays.put(e.getKey(), new LsInverter(ls.name(), recorded, ls.params()));
            }
        }
        double[] stftT = new double[rounds];
        double[] istftT = new double[rounds];
        for (String m : names) {
            recon.put(m, new double[rounds]);
            est.put(m, new double[rounds]);
            integ.put(m, new double[rounds]);
        }
        // warm-up rounds (discarded) so every method runs C2-compiled code, then the timed rounds;
        // by count and by time, since on a loaded machine the JIT threads lag behind the counters
        long warmStart = System.nanoTime();
        int warm = 0;
        while (warm < WARMUP_ROUNDS || System.nanoTime() - warmStart < WARMUP_NANOS) {
            warm++;
            stft.reset();
            for (int t = 0; t < frames; t++) {
                stft.push(padded, t * hop, re, im);
            }
            istft.reset();
            for (int t = 0; t < frames; t++) {
                istft.push(truth.re()[t], truth.im()[t], outHop);
            }
            for (Map.Entry<String, Inverter> e : inverters.entrySet()) {
                StreamingInverter s = streaming.get(e.getKey());
                if (s != null) {
                    if (s instanceof LsInverter ls) {
                        DerivativeEstimator d = ls.estimator();
                        d.reset();
                        for (int t = 0; t < frames; t++) {
                            estimate(d, mag[t], dt, df, em, phasors);
                        }
                        d.reset();
                        LsInverter replay = replays.get(ls.name());
                        if (replay != null) {
                            replay.reset();
                            for (int t = 0; t < frames; t++) {
                                replay.push(mag[t], re, im);
                            }
                        }
                    }
                    s.reset();
                    for (int t = 0; t < frames; t++) {
                        s.push(mag[t], re, im);
                    }
                } else if (warm == 1) {
                    e.getValue().reconstruct(mag, signal.length);
                }
            }
        }
        for (int r = 0; r < rounds; r++) {
            long t0 = cpuNanos();
            stft.reset();
            for (int t = 0; t < frames; t++) {
                stft.push(padded, t * hop, re, im);
            }
            long t1 = cpuNanos();
            istft.reset();
            for (int t = 0; t < frames; t++) {
                istft.push(truth.re()[t], truth.im()[t], outHop);
            }
            long t2 = cpuNanos();
            stftT[r] = (t1 - t0) / 1e3 / frames;
            istftT[r] = (t2 - t1) / 1e3 / frames;
            for (Map.Entry<String, Inverter> e : inverters.entrySet()) {
                Inverter inv = e.getValue();
                double us;
                double estUs = Double.NaN;
                double integUs = Double.NaN;
                StreamingInverter s = streaming.get(e.getKey());
                if (s != null) {
                    if (s instanceof LsInverter ls) {
                        DerivativeEstimator d = ls.estimator();
                        d.reset();
                        long a = cpuNanos();
                        for (int t = 0; t < frames; t++) {
                            estimate(d, mag[t], dt, df, em, phasors);
                        }
                        estUs = (cpuNanos() - a) / 1e3 / frames;
                        d.reset();
                        LsInverter replay = replays.get(e.getKey());
                        replay.reset();
                        a = cpuNanos();
                        for (int t = 0; t < frames; t++) {
                            replay.push(mag[t], re, im);
                        }
                        integUs = (cpuNanos() - a) / 1e3 / frames;
                    }
                    s.reset();
                    long a = cpuNanos();
                    for (int t = 0; t < frames; t++) {
                        s.push(mag[t], re, im);
                    }
                    us = (cpuNanos() - a) / 1e3 / frames;
                } else {
                    long a = cpuNanos();
                    inv.reconstruct(mag, signal.length);
                    us = (cpuNanos() - a) / 1e3 / frames / Math.max(1, iterations(e.getKey()));
                }
                recon.get(e.getKey())[r] = us;
                est.get(e.getKey())[r] = estUs;
                integ.get(e.getKey())[r] = integUs;
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, Inverter> e : inverters.entrySet()) {
            Inverter inv = e.getValue();
            double bytes = Double.NaN;
            StreamingInverter s = streaming.get(e.getKey());
            if (s != null) {
                bytes = allocationPerFrame(s, padded, mag, stft, istft, re, im, outHop);
            }
            rows.add(new Row(
                    e.getKey(),
                    config,
                    inv.lookahead(),
                    median(stftT),
                    median(est.get(e.getKey())),
                    median(integ.get(e.getKey())),
                    median(recon.get(e.getKey())),
                    median(istftT),
                    bytes,
                    iterations(e.getKey()),
                    medianRatio(est.get(e.getKey()), est.get("phasegrad")),
                    modelOf(inv)));
        }
        return rows;
    }

    private static PhaseModel modelOf(Inverter inv) {
        return inv instanceof LsInverter ls && ls.estimator() instanceof NetworkDerivatives n ? n.model() : null;
    }

    /** Bytes allocated per frame by the whole streaming chain (STFT, inverter, ISTFT) in steady state. */
    static double allocationPerFrame(
            StreamingInverter s,
            float[] padded,
            float[][] mag,
            StreamingStft stft,
            StreamingIstft istft,
            float[] re,
            float[] im,
            float[] outHop) {
        int hop = stft.config().hop();
        int frames = mag.length;
        s.reset();
        stft.reset();
        istft.reset();
        long id = Thread.currentThread().getId();
        long a0 = THREADS.getThreadAllocatedBytes(id);
        long a1 = THREADS.getThreadAllocatedBytes(id);
        for (int t = 0; t < frames; t++) {
            stft.push(padded, t * hop, re, im);
            if (s.push(mag[t], re, im)) {
                istft.push(re, im, outHop);
            }
        }
        long a2 = THREADS.getThreadAllocatedBytes(id);
        return Math.max(0, (a2 - a1) - (a1 - a0)) / (double) frames;
    }

    /** What both replays share: the source's settings, the recorded magnitudes, the replay position. */
    abstract static class Recording {
        private final DerivativeEstimator source;
        private final float[][] mag;
        private final int count;
        private int next;

        Recording(DerivativeEstimator source, float[][] mag, int count) {
            this.source = source;
            this.mag = mag;
            this.count = count;
        }

        /** Writes the next recorded magnitude (the last one again once past the end); returns its index. */
        final int nextFrame(float[] outMagnitude) {
            int t = Math.min(next++, count - 1);
            System.arraycopy(mag[t], 0, outMagnitude, 0, outMagnitude.length);
            return t;
        }

        public StftConfig config() {
            return source.config();
        }

        public int lookahead() {
            return 0;
        }

        public void reset() {
            next = 0;
        }

        /** The replay position. */
        public int stateBytes() {
            return Integer.BYTES;
        }

        public void saveState(ByteBuffer out) {
            out.putInt(next);
        }

        public void restoreState(ByteBuffer in) {
            int n = in.getInt();
            if (n < 0) {
                reset();
                throw new IllegalArgumentException("replay position " + n + " is negative");
            }
            next = n;
        }
    }

    /** Replays recorded derivatives, so the LS integration can be timed without the estimator's cost. */
    static final class Replay extends Recording implements DerivativeEstimator {
        private final float[][] dt;
        private final float[][] df;

        private Replay(DerivativeEstimator source, float[][] dt, float[][] df, float[][] mag, int count) {
            super(source, mag, count);
            this.dt = dt;
            this.df = df;
        }

        static Replay record(DerivativeEstimator d, float[][] magnitude) {
            int bins = d.config().bins();
            int frames = magnitude.length;
            float[][] dt = new float[frames][bins];
            float[][] df = new float[frames][bins - 1];
            float[][] mg = new float[frames][bins];
            d.reset();
            int n = 0;
            for (float[] m : magnitude) {
                if (d.push(m, dt[n], df[n], mg[n])) {
                    n++;
                }
            }
            d.reset();
            return new Replay(d, dt, df, mg, n);
        }

        @Override
        public boolean push(float[] magnitude, float[] outDt, float[] outDf, float[] outMagnitude) {
            int t = nextFrame(outMagnitude);
            System.arraycopy(dt[t], 0, outDt, 0, outDt.length);
            System.arraycopy(df[t], 0, outDf, 0, outDf.length);
            return true;
        }
    }

    /** {@link Replay} for estimators that hand over phasors, so the replayed LS takes the same path. */
    static final class PhasorReplay extends Recording implements PhasorDerivativeEstimator {
        private final double[][][] phasors; // [frame][dtCos, dtSin, dfCos, dfSin]

        private PhasorReplay(PhasorDerivativeEstimator source, double[][][] phasors, float[][] mag, int count) {
            super(source, mag, count);
            this.phasors = phasors;
        }

        static PhasorReplay record(PhasorDerivativeEstimator d, float[][] magnitude) {
            int bins = d.config().bins();
            int frames = magnitude.length;
            double[][][] ph = new double[frames][][];
            float[][] mg = new float[frames][bins];
            d.reset();
            int n = 0;
            for (float[] m : magnitude) {
                double[][] p = {new double[bins], new double[bins], new double[bins - 1], new double[bins - 1]};
                if (d.pushPhasors(m, p[0], p[1], p[2], p[3], mg[n])) {
                    ph[n++] = p;
                }
            }
            d.reset();
            return new PhasorReplay(d, ph, mg, n);
        }

        @Override
        public boolean push(float[] magnitude, float[] outDt, float[] outDf, float[] outMagnitude) {
            throw new UnsupportedOperationException("a phasor replay only replays phasors");
        }

        @Override
        public boolean pushPhasors(
                float[] magnitude,
                double[] dtCos,
                double[] dtSin,
                double[] dfCos,
                double[] dfSin,
                float[] outMagnitude) {
            double[][] p = phasors[nextFrame(outMagnitude)];
            System.arraycopy(p[0], 0, dtCos, 0, dtCos.length);
            System.arraycopy(p[1], 0, dtSin, 0, dtSin.length);
            System.arraycopy(p[2], 0, dfCos, 0, dfCos.length);
            System.arraycopy(p[3], 0, dfSin, 0, dfSin.length);
            return true;
        }
    }

    /** One estimator push the way LsInverter makes it: as phasors when the estimator offers them. */
    private static void estimate(DerivativeEstimator d, float[] m, float[] dt, float[] df, float[] em, double[][] ph) {
        if (d instanceof PhasorDerivativeEstimator p) {
            p.pushPhasors(m, ph[0], ph[1], ph[2], ph[3], em);
        } else {
            d.push(m, dt, df, em);
        }
    }

    /** Iterations of an iterative offline method, from its catalogue name (fgla-100 → 100, fgla/gla → 32). */
    static int iterations(String method) {
        if (!Methods.names().contains(method)) {
            return 0;
        }
        if (method.startsWith("fgla-")) {
            return Integer.parseInt(method.substring(5));
        }
        return method.equals("fgla") || method.equals("gla") ? 32 : 0;
    }

    /**
     * Median over rounds of a[r] / b[r] (NaN without b). Each round times the estimators back to back, so
     * a slow spell of the shared machine scales both; the ratio of two medians does not cancel it
     * (seen: 0.51× to 0.66× for the same pair in consecutive runs).
     */
    static double medianRatio(double[] a, double[] b) {
        if (a == null || b == null) {
            return Double.NaN;
        }
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] / b[i];
        }
        return median(r);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n == 0 ? Double.NaN : (n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]));
    }
}
