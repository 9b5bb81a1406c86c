package dev.phasegrad.eval;

import dev.phasegrad.features.FeatureGrid;
import dev.phasegrad.features.FeatureSpec;
import dev.phasegrad.features.LogMelAnalysis;
import dev.phasegrad.features.MelToMagnitude;
import dev.phasegrad.invert.Inverter;
import dev.phasegrad.metrics.QualityScores;
import dev.phasegrad.stft.Spectrogram;
import dev.phasegrad.stft.Stft;
import dev.phasegrad.stft.StftConfig;
import java.util.Arrays;

/**
 * The evaluation loop used by {@code eval}, {@code demo}, training validation and LS tuning: analyse a
 * signal, discard the phase, reconstruct it with a method, synthesise and score against the original
 * ({@link #score}; {@link #run} and {@link #runFeatures} add a warm-up, the time per frame and the
 * latency).
 */
public final class Evaluator {
    /** Frames of the signal's start run once before timing, so the JIT has compiled the hot loops. */
    private static final int WARMUP_FRAMES = 200;

    private Evaluator() {}

    /**
     * The loop timed: {@code inverter} (e.g. from the catalogue or a model file) on the magnitudes of
     * {@code truth}, after a warm-up on the first frames; {@code method} names it in the result.
     */
    public static MethodResult run(String method, Inverter inverter, String source, float[] signal, Spectrogram truth) {
        return timed(method, inverter, source, signal, truth.magnitude(), null, null, null);
    }

    /**
     * The phase of {@code magnitude} by {@code inverter}, synthesised sample-aligned with {@code signal}
     * on the STFT's frame grid ({@code grid} null) or on the feature grid of {@code grid}, scored
     * against {@code signal}. Untimed and without warm-up: for tuning and validation, where many
     * settings are scored.
     */
    public static QualityScores score(Inverter inverter, float[][] magnitude, float[] signal, FeatureSpec grid) {
        Spectrogram rec = inverter.reconstruct(magnitude, reconstructionLength(magnitude.length, signal.length, grid));
        return QualityScores.of(
                signal, synthesise(rec, signal.length, grid), inverter.config().sampleRate());
    }

    /** Samples to reconstruct for {@code frames} frames of a signal of {@code length} samples on the grid. */
    private static int reconstructionLength(int frames, int length, FeatureSpec grid) {
        return grid == null ? length : FeatureGrid.reconstructionLength(grid, frames);
    }

    /** The reconstruction as {@code length} samples aligned with the signal. */
    private static float[] synthesise(Spectrogram rec, int length, FeatureSpec grid) {
        return grid == null ? Stft.synthesise(rec) : FeatureGrid.synthesise(rec, grid, length);
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
        return timed(method, inverter, source, signal, magnitude, spec, worker, features);
    }

    /**
     * The timed loop of {@link #run} and {@link #runFeatures}: a warm-up on the first frames, then the
     * mel step (when {@code worker} is given: {@code features} to {@code magnitude}) and the phase
     * timed per frame, the reconstruction synthesised on the grid and scored.
     */
    private static MethodResult timed(
            String method,
            Inverter inverter,
            String source,
            float[] signal,
            float[][] magnitude,
            FeatureSpec grid,
            MelToMagnitude.Worker worker,
            float[][] features) {
        StftConfig config = inverter.config();
        int w = Math.min(WARMUP_FRAMES, magnitude.length);
        for (int t = 0; worker != null && t < w; t++) {
            worker.magnitude(features[t], magnitude[t]);
        }
        int warmLength = grid == null
                ? Math.max(0, w * config.hop() - config.analysisSynthesisDelay())
                : FeatureGrid.reconstructionLength(grid, w);
        inverter.reconstruct(Arrays.copyOf(magnitude, w), warmLength);
        long t0 = System.nanoTime();
        for (int t = 0; worker != null && t < features.length; t++) {
            worker.magnitude(features[t], magnitude[t]);
        }
        Spectrogram rec = inverter.reconstruct(magnitude, reconstructionLength(magnitude.length, signal.length, grid));
        long t1 = System.nanoTime();
        return scored(
                method,
                inverter,
                source,
                signal,
                synthesise(rec, signal.length, grid),
                (t1 - t0) / 1e3 / Math.max(1, magnitude.length));
    }

    /** The true complex spectrogram on the feature grid, for oracle methods in {@link #runFeatures}. */
    public static Spectrogram featureTruth(float[] signal, FeatureSpec spec) {
        return new LogMelAnalysis(spec).spectrogram(signal);
    }
}
