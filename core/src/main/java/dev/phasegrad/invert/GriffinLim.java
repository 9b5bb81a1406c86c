package dev.phasegrad.invert;

import dev.phasegrad.stft.Spectrogram;
import dev.phasegrad.stft.Stft;
import dev.phasegrad.stft.StftConfig;
import java.util.SplittableRandom;

/**
 * Offline Griffin-Lim (Griffin and Lim 1984) and Fast Griffin-Lim (Perraudin, Balazs and Søndergaard
 * 2013): alternating projections between spectrograms with the given magnitude and consistent
 * spectrograms (those of a signal), the latter through {@link Stft#synthesise} then
 * {@link Stft#analyse} on phasegrad's frame grid. Fast Griffin-Lim adds momentum:
 * <pre>
 *   t_n = analyse(synthesise(|S| · c_{n−1} / |c_{n−1}|))
 *   c_n = t_n + α (t_n − t_{n−1}),   t_0 = 0
 * </pre>
 * and the result is {@code |S| · c_N / |c_N|}. With α = 0 this is plain Griffin-Lim. Parameter
 * names follow librosa's {@code griffinlim}: {@code n_iter} = {@link #iterations()},
 * {@code momentum} = {@link #momentum()} (librosa and phaseret both default to 0.99, i.e. FGLA).
 *
 * <p>The consistency projection treats the signal as zero outside {@code [0, signalLength)}, the
 * support {@link Stft#analyse} assumed when the magnitudes were computed, so {@code signalLength}
 * must be the length that gives exactly {@code magnitude.length} frames
 * ({@link Stft#frameCount(int, StftConfig)}).
 *
 * <p>Immutable and thread safe: each {@link #reconstruct} call owns its working buffers (three
 * spectrograms and one signal, reused across iterations).
 */
public final class GriffinLim implements Inverter {
    /** Phase the iteration starts from. */
    public enum Init {
        /** All phases zero (phaseret's and librosa's {@code init=None} choice). */
        ZERO,
        /** Independent uniform phases in [−π, π) from a seeded generator (librosa's {@code init='random'}). */
        RANDOM
    }

    public static final int DEFAULT_ITERATIONS = 32;
    public static final double DEFAULT_MOMENTUM = 0.99;

    private final StftConfig config;
    private final int iterations;
    private final double momentum;
    private final Init init;
    private final long seed;

    /** Fast Griffin-Lim with {@value #DEFAULT_ITERATIONS} iterations, momentum 0.99, zero-phase start. */
    public GriffinLim(StftConfig config) {
        this(config, DEFAULT_ITERATIONS, DEFAULT_MOMENTUM, Init.ZERO, 0L);
    }

    /**
     * @param config     STFT settings of the magnitudes
     * @param iterations number of projection pairs, ≥ 0 (librosa {@code n_iter})
     * @param momentum   α ≥ 0 and &lt; 2 (librosa {@code momentum}); 0 gives plain Griffin-Lim. Values
     *                   above 1 are allowed but may diverge, as librosa warns.
     * @param init       starting phase
     * @param seed       random generator seed, used only with {@link Init#RANDOM}
     */
    public GriffinLim(StftConfig config, int iterations, double momentum, Init init, long seed) {
        if (config == null || init == null) {
            throw new IllegalArgumentException("config and init must not be null");
        }
        if (iterations < 0) {
            throw new IllegalArgumentException("iterations must be >= 0, got " + iterations);
        }
        if (!(momentum >= 0 && momentum < 2)) {
            throw new IllegalArgumentException("momentum must be in [0, 2), got " + momentum);
        }
        this.config = config;
        this.iterations = iterations;
        this.momentum = momentum;
        this.init = init;
        this.seed = seed;
    }

    /** Plain Griffin-Lim (α = 0), zero-phase start. */
    public static GriffinLim gla(StftConfig config, int iterations) {
        return new GriffinLim(config, iterations, 0.0, Init.ZERO, 0L);
    }

    /** Fast Griffin-Lim with α = 0.99, zero-phase start. */
    public static GriffinLim fgla(StftConfig config, int iterations) {
        return new GriffinLim(config, iterations, DEFAULT_MOMENTUM, Init.ZERO, 0L);
    }

    /**
     * The catalogue's naming: {@code gla} for α = 0, {@code fgla} otherwise, with {@code -<iterations>}
     * unless it runs the default {@value #DEFAULT_ITERATIONS} (e.g. {@code fgla-100}).
     */
    @Override
    public String name() {
        return (momentum == 0 ? "gla" : "fgla") + (iterations == DEFAULT_ITERATIONS ? "" : "-" + iterations);
    }

    @Override
    public StftConfig config() {
        return config;
    }

    /** Offline: -1. */
    @Override
    public int lookahead() {
        return -1;
    }

    public int iterations() {
        return iterations;
    }

    public double momentum() {
        return momentum;
    }

    public Init init() {
        return init;
    }

    @Override
    public Spectrogram reconstruct(float[][] magnitude, int signalLength) {
        int bins = config.bins();
        MagnitudeChecks.all(magnitude, bins);
        int frames = magnitude.length;
        if (signalLength < 0 || Stft.frameCount(signalLength, config) != frames) {
            throw new IllegalArgumentException("signal length " + signalLength + " gives "
                    + (signalLength < 0 ? "no" : String.valueOf(Stft.frameCount(signalLength, config)))
                    + " frames at " + config + ", the magnitude spectrogram has " + frames);
        }
        Spectrogram c = new Spectrogram(config, new float[frames][bins], new float[frames][bins], signalLength);
        Spectrogram rebuilt = new Spectrogram(config, new float[frames][bins], new float[frames][bins], signalLength);
        // t_{n−1} of the momentum step; only needed with momentum
        Spectrogram previous = momentum == 0
                ? null
                : new Spectrogram(config, new float[frames][bins], new float[frames][bins], signalLength);
        float[] signal = new float[signalLength];
        initialise(magnitude, c);

        for (int it = 0; it < iterations; it++) {
            projectMagnitude(magnitude, c);
            Stft.synthesise(c, signal);
            Stft.analyse(signal, rebuilt);
            if (previous == null) {
                Spectrogram swap = c;
                c = rebuilt;
                rebuilt = swap;
            } else {
                extrapolate(rebuilt, previous, c);
                Spectrogram swap = previous;
                previous = rebuilt;
                rebuilt = swap;
            }
        }
        projectMagnitude(magnitude, c);
        return c;
    }

    private void initialise(float[][] magnitude, Spectrogram c) {
        float[][] re = c.re();
        float[][] im = c.im();
        SplittableRandom random = init == Init.RANDOM ? new SplittableRandom(seed) : null;
        for (int t = 0; t < magnitude.length; t++) {
            for (int k = 0; k < magnitude[t].length; k++) {
                if (random == null) {
                    re[t][k] = magnitude[t][k];
                    im[t][k] = 0f;
                } else {
                    double phi = Math.PI * (2 * random.nextDouble() - 1);
                    re[t][k] = (float) (magnitude[t][k] * Math.cos(phi));
                    im[t][k] = (float) (magnitude[t][k] * Math.sin(phi));
                }
            }
        }
    }

    /** c ← |S| · c / |c|; where c vanishes the phase is taken as zero. */
    private static void projectMagnitude(float[][] magnitude, Spectrogram c) {
        float[][] re = c.re();
        float[][] im = c.im();
        for (int t = 0; t < magnitude.length; t++) {
            float[] m = magnitude[t];
            float[] r = re[t];
            float[] i = im[t];
            for (int k = 0; k < m.length; k++) {
                double a = (double) r[k] * r[k] + (double) i[k] * i[k];
                if (a > 0) {
                    double s = m[k] / Math.sqrt(a);
                    r[k] = (float) (r[k] * s);
                    i[k] = (float) (i[k] * s);
                } else {
                    r[k] = m[k];
                    i[k] = 0f;
                }
            }
        }
    }

    /** out ← t + α (t − previous). */
    private void extrapolate(Spectrogram t, Spectrogram previous, Spectrogram out) {
        float a = (float) momentum;
        for (int f = 0; f < t.frames(); f++) {
            float[] tr = t.re()[f];
            float[] ti = t.im()[f];
            float[] pr = previous.re()[f];
            float[] pi = previous.im()[f];
            float[] or = out.re()[f];
            float[] oi = out.im()[f];
            for (int k = 0; k < tr.length; k++) {
                or[k] = tr[k] + a * (tr[k] - pr[k]);
                oi[k] = ti[k] + a * (ti[k] - pi[k]);
            }
        }
    }
}
