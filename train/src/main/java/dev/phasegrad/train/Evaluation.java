package dev.phasegrad.train;

import dev.phasegrad.audio.Audio;
import dev.phasegrad.derivatives.DerivativeEstimator;
import dev.phasegrad.invert.StreamingInverter;
import dev.phasegrad.metrics.SpectralConvergence;
import dev.phasegrad.metrics.Stoi;
import dev.phasegrad.nn.PhaseModel;
import dev.phasegrad.nn.runtime.NetworkDerivatives;
import dev.phasegrad.stft.Spectrogram;
import dev.phasegrad.stft.Stft;
import dev.phasegrad.stft.StftConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reconstruction quality of phase derivatives on whole signals: derivatives (e.g. of a network)
 * are computed once per signal and replayed into an integrator built by an
 * {@link IntegratorFactory} (in phasegrad the least-squares {@code LsInverter}), so many (p, γ₀)
 * settings can be scored cheaply. Scores: mean ESTOI and mean spectral convergence (dB) over the
 * signals, against the original signal.
 */
public final class Evaluation {
    private Evaluation() {}

    /** Builds a streaming inverter that integrates the given derivatives with weight exponent p and γ₀. */
    @FunctionalInterface
    public interface IntegratorFactory {
        StreamingInverter create(DerivativeEstimator derivatives, double p, double gamma0);
    }

    /** A signal with its magnitudes and the derivative frames an estimator produced for it. */
    public static final class Cached {
        final float[] signal;
        final int sampleRate;
        final float[][] magnitude;
        final float[][] dt;
        final float[][] df;
        final float[][] outMag;
        final int lookahead;
        final StftConfig config;

        Cached(
                float[] signal,
                int sampleRate,
                StftConfig config,
                float[][] magnitude,
                float[][] dt,
                float[][] df,
                float[][] outMag,
                int lookahead) {
            this.signal = signal;
            this.sampleRate = sampleRate;
            this.config = config;
            this.magnitude = magnitude;
            this.dt = dt;
            this.df = df;
            this.outMag = outMag;
            this.lookahead = lookahead;
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
    public static Cached cache(DerivativeEstimator estimator, float[] signal, int sampleRate) {
        StftConfig cfg = estimator.config();
        float[][] mag = Stft.magnitude(signal, cfg);
        int frames = mag.length;
        int bins = cfg.bins();
        float[][] dt = new float[frames][bins];
        float[][] df = new float[frames][bins - 1];
        float[][] om = new float[frames][bins];
        float[] silence = new float[bins];
        estimator.reset();
        int out = 0;
        for (int t = 0; t < frames + estimator.lookahead() && out < frames; t++) {
            if (estimator.push(t < frames ? mag[t] : silence, dt[out], df[out], om[out])) {
                out++;
            }
        }
        estimator.reset();
        return new Cached(signal, sampleRate, cfg, mag, dt, df, om, estimator.lookahead());
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
        NetworkDerivatives nd = new NetworkDerivatives(model);
        List<Cached> out = new ArrayList<>();
        for (Audio a : signals) {
            out.add(cache(nd, a.samples(), a.sampleRate()));
        }
        return out;
    }

    /** Mean ESTOI and SC of the integrator fed with the cached derivatives. */
    public static Scores score(List<Cached> cached, IntegratorFactory factory, double p, double gamma0) {
        double estoi = 0;
        double sc = 0;
        for (Cached c : cached) {
            StreamingInverter inv = factory.create(new Replay(c), p, gamma0);
            Spectrogram s = inv.reconstruct(c.magnitude, c.signal.length);
            float[] y = Stft.synthesise(s);
            estoi += Stoi.estoi(c.signal, y, c.sampleRate);
            sc += SpectralConvergence.db(c.signal, y);
        }
        return new Scores(estoi / cached.size(), sc / cached.size());
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

    /** Replays cached derivative frames with the original look-ahead. */
    static final class Replay implements DerivativeEstimator {
        private final Cached c;
        private int pushed;

        Replay(Cached c) {
            this.c = c;
        }

        @Override
        public StftConfig config() {
            return c.config;
        }

        @Override
        public int lookahead() {
            return c.lookahead;
        }

        @Override
        public boolean push(float[] magnitude, float[] outDt, float[] outDf, float[] outMagnitude) {
            int f = pushed - c.lookahead;
            pushed++;
            if (f < 0 || f >= c.dt.length) {
                return false;
            }
            System.arraycopy(c.dt[f], 0, outDt, 0, outDt.length);
            System.arraycopy(c.df[f], 0, outDf, 0, outDf.length);
            System.arraycopy(c.outMag[f], 0, outMagnitude, 0, outMagnitude.length);
            return true;
        }

        @Override
        public void reset() {
            pushed = 0;
        }

        /** The replay position. */
        @Override
        public int stateBytes() {
            return Integer.BYTES;
        }

        @Override
        public void saveState(ByteBuffer out) {
            out.putInt(pushed);
        }

        @Override
        public void restoreState(ByteBuffer in) {
            int n = in.getInt();
            if (n < 0) {
                reset();
                throw new IllegalArgumentException("replay position " + n + " is negative");
            }
            pushed = n;
        }
    }
}
