package dev.phasegrad.integrate;

import java.util.Arrays;

/**
 * The default weights of the LS phase integration, from the magnitudes of the current and previous
 * frame. With m̂ = m / max_k m_t,k (the current frame's peak, so weights do not depend on gain):
 * <pre>
 *   λ_k = ( m̂_t,k · max(m̂_t−1,k, ε·m̂_t,k) )^p        k = 0 … K−1   (time direction)
 *   γ_k = γ₀ · ( m̂_t,k · m̂_t,k+1 )^p                   k = 0 … K−2   (frequency direction)
 * </pre>
 * Why: a derivative is only as reliable as the magnitudes at both ends of the step it describes,
 * hence the geometric-mean-like products; ε keeps a weak time anchor at onsets after digital
 * silence (otherwise every time weight vanishes and the frame falls back to an arbitrary phase).
 * An all-zero frame gets all-zero weights. Note that {@link LsIntegrator} multiplies these weights by
 * m_k² (resp. m_{k+1}²) when it substitutes x = m·u, so the effective weight of a unit-phasor
 * constraint grows like m^(2p+2). Stateless; allocation-free.
 */
public final class LsWeights {
    private LsWeights() {}

    /**
     * @param magnitude     current frame m_t, K = N/2+1 values ≥ 0
     * @param prevMagnitude previous frame m_t−1 (zeros before the first frame), K values ≥ 0
     * @param outLambda     K time-direction weights (written)
     * @param outGamma      K−1 frequency-direction weights (written)
     */
    public static void compute(
            double[] magnitude, double[] prevMagnitude, LsParams params, double[] outLambda, double[] outGamma) {
        int bins = magnitude.length;
        double peak = 0;
        for (int k = 0; k < bins; k++) {
            peak = Math.max(peak, magnitude[k]);
        }
        if (!(peak > 0)) {
            Arrays.fill(outLambda, 0, bins, 0.0);
            Arrays.fill(outGamma, 0, bins - 1, 0.0);
            return;
        }
        double inv = 1.0 / peak;
        double eps = params.onsetEpsilon();
        double p = params.p();
        double g0 = params.gamma0();
        // bases first, exponent in separate passes, so the common p = 1 costs two plain loops
        for (int k = 0; k < bins; k++) {
            double m = magnitude[k] * inv;
            double prev = Math.max(prevMagnitude[k] * inv, eps * m);
            outLambda[k] = m * prev;
        }
        for (int k = 0; k + 1 < bins; k++) {
            outGamma[k] = magnitude[k] * inv * (magnitude[k + 1] * inv);
        }
        if (p != 1) {
            powInPlace(outLambda, bins, p);
            powInPlace(outGamma, bins - 1, p);
        }
        for (int k = 0; k + 1 < bins; k++) {
            outGamma[k] *= g0;
        }
    }

    /**
     * {@code a[k] = a[k]^p} for k < n, a[k] ≥ 0. Whole and half-integer exponents up to 8 (the ones
     * tuning and the shipped models use: 1.5, 2, 2.5, 3) are products of x and √x, a few ns per bin;
     * Math.pow costs ~20 ns per call and was half of the LS stage for the p = 1.5 and 3 models.
     */
    static void powInPlace(double[] a, int n, double p) {
        double twice = 2 * p;
        if (p == 0) {
            Arrays.fill(a, 0, n, 1.0);
            return;
        }
        if (twice != Math.rint(twice) || p < 0 || p > 8) {
            for (int k = 0; k < n; k++) {
                a[k] = Math.pow(a[k], p);
            }
            return;
        }
        // the exponents in use get straight-line loops, which C2 vectorises (sqrt included); the
        // generic loop below is not (its inner loop), and cost 3–4 µs per 513 weights. Same products,
        // same order, so the results are bit-identical to it.
        switch ((int) twice) {
            case 3:
                for (int k = 0; k < n; k++) {
                    double x = a[k];
                    a[k] = Math.sqrt(x) * x;
                }
                return;
            case 4:
                for (int k = 0; k < n; k++) {
                    double x = a[k];
                    a[k] = x * x;
                }
                return;
            case 5:
                for (int k = 0; k < n; k++) {
                    double x = a[k];
                    a[k] = Math.sqrt(x) * x * x;
                }
                return;
            case 6:
                for (int k = 0; k < n; k++) {
                    double x = a[k];
                    a[k] = x * x * x;
                }
                return;
            default:
                break;
        }
        int whole = (int) p;
        boolean half = (int) twice % 2 != 0;
        for (int k = 0; k < n; k++) {
            double x = a[k];
            double r = half ? Math.sqrt(x) : 1.0;
            for (int i = 0; i < whole; i++) {
                r *= x;
            }
            a[k] = r;
        }
    }
}
