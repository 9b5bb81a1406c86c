package dev.phasegrad.eval;

import dev.phasegrad.features.FeatureGrid;
import dev.phasegrad.features.FeatureSpec;
import dev.phasegrad.features.LogMelAnalysis;
import dev.phasegrad.features.MelToMagnitude;
import dev.phasegrad.invert.Inverter;
import dev.phasegrad.invert.Methods;
import dev.phasegrad.metrics.QualityScores;
import dev.phasegrad.stft.Spectrogram;
import dev.phasegrad.stft.Stft;
import dev.phasegrad.stft.StftConfig;
import java.util.Arrays;

/**
 * The evaluation loop used by {@code eval}, {@code demo} and training validation: analyse a signal,
 * discard the phase, reconstruct it with a method, synthesise and score against the original.
 */
public final class Evaluator {
    /** Frames of the signal's start run once before timing, so the JIT has compiled the hot loops. */
    private static final int WARMUP_FRAMES = 200;

    private Evaluator() {}

    public static MethodResult run(String method, String source, float[] signal, StftConfig config) {
        Spectrogram truth = Stft.analyse(signal, config);
        return run(method, source, signal, truth);
    }

    /** Same as {@link #run(String, String, float[], StftConfig)} with the analysis already done. */
    public static MethodResult run(String method, String source, float[] signal, Spectrogram truth) {
        return run(method, Methods.create(method, truth.config(), truth), source, signal, truth);
    }

    /** Same with an inverter built by the caller (e.g. from a model file); {@code method} names it in the result. */
    public static MethodResult run(String method, Inverter inverter, String source, float[] signal, Spectrogram truth) {
        StftConfig config = truth.config();
        float[][] magnitude = truth.magnitude();
        int w = Math.min(WARMUP_FRAMES, magnitude.length);
        inverter.reconstruct(
                Arrays.copyOf(magnitude, w), Math.max(0, w * config.hop() - config.analysisSynthesisDelay()));
        long t0 = System.nanoTime();
        Spectrogram rec = inverter.reconstruct(magnitude, signal.length);
        long t1 = System.nanoTime();
        return scored(
                method,
                inverter,
                source,
                signal,
                Stft.synthesise(rec),
                (t1 - t0) / 1e3 / Math.max(1, magnitude.length));
    }

    /** Scores a reconstruction {@code y} of {@code signal} and records the method's cost and latency. */
    private static MethodResult scored(
            String method, Inverter inverter, String source, float[] signal, float[] y, double usPerFrame) {
        StftConfig config = inverter.config();
        QualityScores scores = QualityScores.of(signal, y, config.sampleRate());
        int la = inverter.lookahead();
        double latencyMs = la < 0
                ? Double.NaN
                : 1000.0 * (config.analysisSynthesisDelay() + (long) la * config.hop()) / config.sampleRate();
        return new MethodResult(method, source, scores, usPerFrame, la, latencyMs, y);
    }

    /**
     * The mel loop: the signal's features under {@code spec}, back to a linear magnitude by
     * {@code melInversion} (NNLS or a refiner; null: the true magnitude on the feature grid, the upper bound of any mel
     * inversion), phase by {@code inverter} (built for {@code spec.stft()}; an oracle needs
     * {@link #featureTruth}), synthesised sample-aligned with the signal and scored against it. The time
     * per frame covers the mel inversion and the phase.
     */
    public static MethodResult runFeatures(
            String method,
            Inverter inverter,
            String source,
            float[] signal,
            FeatureSpec spec,
            MelToMagnitude melInversion) {
        if (!inverter.config().equals(spec.stft())) {
            throw new IllegalArgumentException(
                    method + " is built for " + inverter.config() + ", the features need " + spec.stft());
        }
        LogMelAnalysis analysis = new LogMelAnalysis(spec);
        float[][] features = melInversion == null ? null : analysis.logMel(signal);
        // the upper bound is the exact |X| (the front end's magnitude may carry an epsilon, as HiFi-GAN's does)
        float[][] magnitude = melInversion == null
                ? analysis.spectrogram(signal).magnitude()
                : new float[features.length][spec.bins()];
        MelToMagnitude.Worker worker = melInversion == null ? null : melInversion.newWorker();
        int w = Math.min(WARMUP_FRAMES, magnitude.length);
        for (int t = 0; worker != null && t < w; t++) {
            worker.magnitude(features[t], magnitude[t]);
        }
        inverter.reconstruct(Arrays.copyOf(magnitude, w), FeatureGrid.reconstructionLength(spec, w));
        // timed: the mel inversion (when there is one) and the phase, per frame
        long t0 = System.nanoTime();
        for (int t = 0; worker != null && t < features.length; t++) {
            worker.magnitude(features[t], magnitude[t]);
        }
        Spectrogram rec = inverter.reconstruct(magnitude, FeatureGrid.reconstructionLength(spec, magnitude.length));
        long t1 = System.nanoTime();
        return scored(
                method,
                inverter,
                source,
                signal,
                FeatureGrid.synthesise(rec, spec, signal.length),
                (t1 - t0) / 1e3 / Math.max(1, magnitude.length));
    }

    /** The true complex spectrogram on the feature grid, for oracle methods in {@link #runFeatures}. */
    public static Spectrogram featureTruth(float[] signal, FeatureSpec spec) {
        return new LogMelAnalysis(spec).spectrogram(signal);
    }
}
