package dev.phasegrad.train;

import dev.phasegrad.audio.Audio;
import dev.phasegrad.derivatives.DerivativeEstimator;
import dev.phasegrad.derivatives.RecordedDerivatives;
import dev.phasegrad.eval.Evaluator;
import dev.phasegrad.features.FeatureSpec;
import dev.phasegrad.features.LogMelAnalysis;
import dev.phasegrad.features.MelToMagnitude;
import dev.phasegrad.invert.StreamingInverter;
import dev.phasegrad.metrics.QualityScores;
import dev.phasegrad.nn.PhaseModel;
import dev.phasegrad.nn.runtime.NetworkDerivatives;
import dev.phasegrad.stft.Stft;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reconstruction quality of phase derivatives on whole signals: derivatives (e.g. of a network)
 * are computed once per signal ({@link RecordedDerivatives}) and replayed into an integrator built by
 * an {@link IntegratorFactory} (in phasegrad the least-squares {@code LsInverter}), so many (p, γ₀)
 * settings can be scored cheaply; each is scored by the evaluation loop ({@link Evaluator#score}).
 * Scores: mean ESTOI and mean spectral convergence (dB) over the signals, against the original signal.
 */
public final class Evaluation {
    private Evaluation() {}

    /** Builds a streaming inverter that integrates the given derivatives with weight exponent p and γ₀. */
    @FunctionalInterface
    public interface IntegratorFactory {
        StreamingInverter create(DerivativeEstimator derivatives, double p, double gamma0);
    }

    /**
     * A signal with its magnitudes and the derivative frames an estimator produced for it; for the mel
     * path, the magnitudes are the mel step's estimate on the features' grid ({@code grid}, else null).
     */
    public static final class Cached {
        final float[] signal;
        final float[][] magnitude;
        final RecordedDerivatives derivatives;
        final FeatureSpec grid;

        Cached(float[] signal, float[][] magnitude, RecordedDerivatives derivatives, FeatureSpec grid) {
            this.signal = signal;
            this.magnitude = magnitude;
            this.derivatives = derivatives;
            this.grid = grid;
        }
    }

    /** Mean scores. */
    public static final class Scores {
        public final double estoi;
        public final double scDb;

        Scores(double estoi, double scDb) {
            this.estoi = estoi;
            this.scDb = scDb;
        }

        @Override
        public String toString() {
            return String.format("ESTOI %.4f, SC %.2f dB", estoi, scDb);
        }
    }

    /** Runs {@code estimator} over the whole signal (draining its look-ahead with silent frames). */
    public static Cached cache(DerivativeEstimator estimator, float[] signal) {
        float[][] mag = Stft.magnitude(signal, estimator.config());
        return new Cached(signal, mag, RecordedDerivatives.record(estimator, mag), null);
    }

    /**
     * The mel path: the signal's log-mel, back to a magnitude by {@code step} (streamed in order), and
     * the derivative frames {@code estimator} produces from it.
     */
    public static Cached cacheMel(DerivativeEstimator estimator, MelToMagnitude step, float[] signal) {
        FeatureSpec spec = step.spec();
        float[][] mag = step.magnitudes(new LogMelAnalysis(spec).logMel(signal));
        return new Cached(signal, mag, RecordedDerivatives.record(estimator, mag), spec);
    }

    /** Loads up to {@code count} files of at least {@code minSeconds}, evenly spaced over the sorted list. */
    public static List<Audio> pickFiles(List<Path> files, int count, double minSeconds, double maxSeconds)
            throws IOException {
        List<Audio> chosen = new ArrayList<>();
        if (files.isEmpty() || count < 1) {
            return chosen;
        }
        // one file per block of the sorted list: the first of the block that is long enough
        int blocks = Math.min(count, files.size());
        for (int j = 0; j < blocks; j++) {
            int from = (int) ((long) files.size() * j / blocks);
            int to = (int) ((long) files.size() * (j + 1) / blocks);
            for (int i = from; i < to; i++) {
                Audio a;
                try {
                    a = Audio.read(files.get(i));
                } catch (IOException e) {
                    continue;
                }
                if (a.durationSeconds() >= minSeconds) {
                    int max = (int) (maxSeconds * a.sampleRate());
                    chosen.add(a.length() > max ? new Audio(Arrays.copyOf(a.samples(), max), a.sampleRate()) : a);
                    break;
                }
            }
        }
        return chosen;
    }

    public static List<Cached> cacheNetwork(PhaseModel model, List<Audio> signals) {
        return cacheNetwork(model, null, signals);
    }

    /** {@link #cacheNetwork(PhaseModel, List)} of the mel path when {@code melInput} is not null. */
    public static List<Cached> cacheNetwork(PhaseModel model, MelToMagnitude melInput, List<Audio> signals) {
        NetworkDerivatives nd = new NetworkDerivatives(model);
        List<Cached> out = new ArrayList<>();
        for (Audio a : signals) {
            out.add(melInput == null ? cache(nd, a.samples()) : cacheMel(nd, melInput, a.samples()));
        }
        return out;
    }

    /** Mean ESTOI and SC of the integrator fed with the cached derivatives. */
    public static Scores score(List<Cached> cached, IntegratorFactory factory, double p, double gamma0) {
        List<QualityScores> each = new ArrayList<>();
        for (Cached c : cached) {
            StreamingInverter inv = factory.create(c.derivatives.replay(), p, gamma0);
            each.add(Evaluator.score(inv, c.magnitude, c.signal, c.grid));
        }
        QualityScores mean = QualityScores.mean(each);
        return new Scores(mean.estoi(), mean.scDb());
    }

    /** Result of a grid search over (p, γ₀). */
    public static final class Tuning {
        public final double p;
        public final double gamma0;
        public final Scores best;
        public final String table;

        Tuning(double p, double gamma0, Scores best, String table) {
            this.p = p;
            this.gamma0 = gamma0;
            this.best = best;
            this.table = table;
        }
    }

    /** Grid search maximising mean ESTOI (ties: lower SC). */
    public static Tuning tune(List<Cached> cached, IntegratorFactory factory, double[] ps, double[] gammas) {
        StringBuilder table = new StringBuilder("p\tgamma0\testoi\tsc_db\n");
        double bp = ps[0];
        double bg = gammas[0];
        Scores best = null;
        for (double p : ps) {
            for (double g : gammas) {
                Scores s = score(cached, factory, p, g);
                table.append(String.format("%.2f\t%.3g\t%.4f\t%.2f%n", p, g, s.estoi, s.scDb));
                if (best == null
                        || s.estoi > best.estoi + 1e-9
                        || (Math.abs(s.estoi - best.estoi) <= 1e-9 && s.scDb < best.scDb)) {
                    best = s;
                    bp = p;
                    bg = g;
                }
            }
        }
        return new Tuning(bp, bg, best, table.toString());
    }
}
