package dev.phasegrad.cli.bench;

import com.sun.management.ThreadMXBean;
import dev.phasegrad.derivatives.DerivativeEstimator;
import dev.phasegrad.derivatives.PhasorDerivativeEstimator;
import dev.phasegrad.derivatives.RecordedDerivatives;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-frame cost of every streaming inverter split by stage (STFT analysis, derivative estimation —
 * the network for the network methods —, phase reconstruction proper, ISTFT), plus real-time factor and
 * bytes allocated per frame, all measured in one run: every stage of every method is one pass over the
 * clip, timed round-robin after a warm-up ({@link Rounds}), and the median round is reported, so every
 * row saw the same machine load. Times are CPU time of the benchmarking thread (time spent preempted is
 * not counted).
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

    private StageBench() {}

    /**
     * @param signal  speech to stream (analysed once per config)
     * @param methods method names; streaming ones are timed per push, offline ones (FGLA) per frame and iteration
     * @param models  model files as extra network methods (LS integration with the model's stored weights),
     *                timed in the same rounds as the named methods, by method name
     * @param rounds  timing rounds (median reported); at least 3 is sensible
     * @param warmup  least wall time of the warm-up rounds
     */
    public static List<Row> run(
            float[] signal,
            StftConfig config,
            List<String> methods,
            Map<String, PhaseModel> models,
            int rounds,
            Duration warmup) {
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

        // every stage is one pass over the clip, timed per frame; the stages run in this order in every round
        Rounds timing = new Rounds(rounds, warmup);
        double[] stftT = timing.add(frames, () -> {
            stft.reset();
            for (int t = 0; t < frames; t++) {
                stft.push(padded, t * hop, re, im);
            }
        });
        double[] istftT = timing.add(frames, () -> {
            istft.reset();
            for (int t = 0; t < frames; t++) {
                istft.push(truth.re()[t], truth.im()[t], outHop);
            }
        });
        Map<String, double[]> recon = new LinkedHashMap<>();
        Map<String, double[]> est = new LinkedHashMap<>();
        Map<String, double[]> integ = new LinkedHashMap<>();
        for (Map.Entry<String, Inverter> e : inverters.entrySet()) {
            String m = e.getKey();
            Inverter inv = e.getValue();
            StreamingInverter s = streaming.get(m);
            double[] nan = new double[rounds];
            Arrays.fill(nan, Double.NaN);
            est.put(m, nan);
            integ.put(m, nan);
            if (s instanceof LsInverter ls) {
                // the estimator alone, then the LS integration alone, fed the estimator's frames from memory
                DerivativeEstimator d = ls.estimator();
                LsInverter replay = new LsInverter(
                        ls.name(), RecordedDerivatives.record(d, mag).replay(), ls.params());
                est.put(m, timing.add(frames, () -> {
                    d.reset();
                    for (int t = 0; t < frames; t++) {
                        estimate(d, mag[t], dt, df, em, phasors);
                    }
                    d.reset();
                }));
                integ.put(m, timing.add(frames, () -> {
                    replay.reset();
                    for (int t = 0; t < frames; t++) {
                        replay.push(mag[t], re, im);
                    }
                }));
            }
            recon.put(
                    m,
                    s != null
                            ? timing.add(frames, () -> {
                                s.reset();
                                for (int t = 0; t < frames; t++) {
                                    s.push(mag[t], re, im);
                                }
                            })
                            : timing.addWarmedOnce(
                                    (long) frames * Math.max(1, iterations(m)),
                                    () -> inv.reconstruct(mag, signal.length)));
        }
        timing.run();
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
                    Rounds.median(stftT),
                    Rounds.median(est.get(e.getKey())),
                    Rounds.median(integ.get(e.getKey())),
                    Rounds.median(recon.get(e.getKey())),
                    Rounds.median(istftT),
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
        return Rounds.median(r);
    }
}
