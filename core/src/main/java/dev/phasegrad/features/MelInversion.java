package dev.phasegrad.features;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Mel features back to a linear magnitude frame: the non-negative least-squares estimate librosa's
 * {@code mel_to_stft} makes, {@code min ‖A x − mel‖² subject to x ≥ 0} with A the filterbank and x
 * the spectrum (magnitude, or power when the spec's power is 2), started from the clipped
 * pseudo-inverse {@code max(0, A⁺ mel)} as librosa starts it.
 *
 * <p>The bands outnumbered by bins (80 or 100 against 513) leave the problem underdetermined, and
 * bins above fMax carry no information: they come out zero. The solver is FISTA (accelerated
 * projected gradient, step 1/L with L the largest eigenvalue of AᵀA) for a fixed number of
 * iterations, so every frame costs the same; frames are independent (no state between them).
 *
 * <p>The shared part (filterbank, A⁺, L) is immutable; {@link #newWorker()} gives the per-stream
 * scratch, which {@code push} uses without allocating.
 */
public final class MelInversion implements MelToMagnitude {
    /** Iterations per frame by default: the residual stops improving visibly after this (MelInversionTest). */
    public static final int DEFAULT_ITERATIONS = 100;

    private final FeatureSpec spec;
    private final MelFilterbank filterbank;
    private final float[][] pinv; // [bins][bands]
    private final double lipschitz;
    private final int iterations;

    /**
     * The inversion for {@code spec} with its own filterbank and the default iteration count.
     *
     * @param spec the front end
     */
    public MelInversion(FeatureSpec spec) {
        this(spec, new MelFilterbank(spec), DEFAULT_ITERATIONS);
    }

    /**
     * @param spec       the front end
     * @param filterbank its filterbank
     * @param iterations projected-gradient iterations per frame, ≥ 0
     * @throws IllegalArgumentException if {@code iterations} is negative
     */
    public MelInversion(FeatureSpec spec, MelFilterbank filterbank, int iterations) {
        if (iterations < 0) {
            throw new IllegalArgumentException("iterations must be >= 0, got " + iterations);
        }
        this.spec = spec;
        this.filterbank = filterbank;
        this.iterations = iterations;
        int bands = filterbank.bands();
        double[][] a = filterbank.dense();
        double[][] g = new double[bands][bands];
        for (int i = 0; i < bands; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int k = 0; k < a[i].length; k++) {
                    s += a[i][k] * a[j][k];
                }
                g[i][j] = s;
                g[j][i] = s;
            }
        }
        lipschitz = largestEigenvalue(g);
        double[][] ginv = inverseSpd(g, 1e-12 * lipschitz);
        int bins = filterbank.bins();
        pinv = new float[bins][bands];
        for (int k = 0; k < bins; k++) {
            for (int j = 0; j < bands; j++) {
                double s = 0;
                for (int i = 0; i < bands; i++) {
                    s += a[i][k] * ginv[i][j];
                }
                pinv[k][j] = (float) s;
            }
        }
    }

    /** {@return the front end} */
    @Override
    public FeatureSpec spec() {
        return spec;
    }

    /** {@return the filterbank} */
    public MelFilterbank filterbank() {
        return filterbank;
    }

    /** {@return the iterations per frame} */
    public int iterations() {
        return iterations;
    }

    /** {@return new scratch for one stream or thread} */
    @Override
    public Worker newWorker() {
        return new Worker();
    }

    /** Per-stream scratch of a {@link MelInversion}; not thread safe. */
    public final class Worker implements MelToMagnitude.Worker {
        private final double[] mel = new double[filterbank.bands()];
        private final double[] residual = new double[filterbank.bands()];
        private final double[] x = new double[filterbank.bins()];
        private final double[] xPrev = new double[filterbank.bins()];
        private final double[] y = new double[filterbank.bins()];
        private final double[] grad = new double[filterbank.bins()];

        private Worker() {}

        /**
         * One frame of features (the spec's log, or mel when log is none) to a linear magnitude frame
         * of {@code bins} values. The caller validates the features (finite).
         *
         * @param features     the frame's {@code bands} values
         * @param magnitudeOut receives the {@code bins} magnitudes
         */
        @Override
        public void magnitude(float[] features, float[] magnitudeOut) {
            int bands = mel.length;
            for (int b = 0; b < bands; b++) {
                mel[b] = spec.fromFeature(features[b]);
            }
            int bins = x.length;
            for (int k = 0; k < bins; k++) {
                float[] p = pinv[k];
                double s = 0;
                for (int b = 0; b < bands; b++) {
                    s += p[b] * mel[b];
                }
                x[k] = Math.max(0.0, s);
            }
            System.arraycopy(x, 0, y, 0, bins);
            System.arraycopy(x, 0, xPrev, 0, bins);
            double t = 1;
            double step = 1.0 / lipschitz;
            for (int it = 0; it < iterations; it++) {
                filterbank.apply(y, residual);
                for (int b = 0; b < bands; b++) {
                    residual[b] -= mel[b];
                }
                filterbank.applyTransposed(residual, grad);
                double tNext = 0.5 * (1 + Math.sqrt(1 + 4 * t * t));
                double momentum = (t - 1) / tNext;
                for (int k = 0; k < bins; k++) {
                    double xk = Math.max(0.0, y[k] - step * grad[k]);
                    y[k] = xk + momentum * (xk - xPrev[k]);
                    xPrev[k] = xk;
                }
                t = tNext;
            }
            boolean power = spec.power() == 2;
            for (int k = 0; k < bins; k++) {
                double v = xPrev[k];
                magnitudeOut[k] = (float) (power ? Math.sqrt(v) : v);
            }
        }

        /** Frames are independent: nothing to forget. */
        @Override
        public void reset() {}

        @Override
        public int stateBytes() {
            return 0;
        }

        @Override
        public void saveState(ByteBuffer out) {}

        @Override
        public void restoreState(ByteBuffer in) {}

        /** {@return ‖A x − mel‖ / ‖mel‖ of the last frame's estimate (in the spectrum's power)} */
        public double relativeResidual() {
            filterbank.apply(xPrev, residual);
            double num = 0;
            double den = 0;
            for (int b = 0; b < mel.length; b++) {
                double d = residual[b] - mel[b];
                num += d * d;
                den += mel[b] * mel[b];
            }
            return den == 0 ? 0 : Math.sqrt(num / den);
        }
    }

    private static double largestEigenvalue(double[][] g) {
        int n = g.length;
        double[] v = new double[n];
        double[] w = new double[n];
        Arrays.fill(v, 1.0 / Math.sqrt(n));
        double lambda = 0;
        for (int it = 0; it < 500; it++) {
            double norm = 0;
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += g[i][j] * v[j];
                }
                w[i] = s;
                norm += s * s;
            }
            norm = Math.sqrt(norm);
            if (norm == 0) {
                return 1;
            }
            double next = 0;
            for (int i = 0; i < n; i++) {
                v[i] = w[i] / norm;
            }
            next = norm;
            if (Math.abs(next - lambda) <= 1e-12 * next) {
                lambda = next;
                break;
            }
            lambda = next;
        }
        // a margin: power iteration approaches λmax from below, and a step above 1/λmax diverges
        return lambda * 1.01;
    }

    /** (G + ridge·I)⁻¹ of a symmetric positive semi-definite G, by Cholesky. */
    private static double[][] inverseSpd(double[][] g, double ridge) {
        int n = g.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = g[i][j] + (i == j ? ridge : 0);
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    l[i][i] = Math.sqrt(Math.max(s, ridge));
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        double[][] inv = new double[n][n];
        double[] col = new double[n];
        for (int c = 0; c < n; c++) {
            for (int i = 0; i < n; i++) {
                double s = i == c ? 1 : 0;
                for (int k = 0; k < i; k++) {
                    s -= l[i][k] * col[k];
                }
                col[i] = s / l[i][i];
            }
            for (int i = n - 1; i >= 0; i--) {
                double s = col[i];
                for (int k = i + 1; k < n; k++) {
                    s -= l[k][i] * inv[k][c];
                }
                inv[i][c] = s / l[i][i];
            }
        }
        return inv;
    }
}
