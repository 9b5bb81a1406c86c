package dev.phasegrad.integrate;

/**
 * The one check behind every "must be finite and ≥ 0" error of the pipeline (magnitude frames,
 * LS weights): where the first offending value is, so each caller can name it in its own message.
 *
 * <p>Why a reduction first: a min/max pass has no branch per value (NaN propagates through both), so
 * the common all-valid frame costs a vectorised sweep; the failing index is searched for only when
 * something is wrong. Stateless, allocation-free.
 */
public final class FiniteNonNegative {
    private FiniteNonNegative() {}

    /** Index of the first of a[0..n) that is negative, NaN or infinite; −1 when there is none. */
    public static int firstInvalid(float[] a, int n) {
        float most = 0f;
        float least = 0f;
        for (int k = 0; k < n; k++) {
            most = Math.max(most, a[k]);
            least = Math.min(least, a[k]);
        }
        if (most < Float.POSITIVE_INFINITY && least == 0f) {
            return -1;
        }
        for (int k = 0; k < n; k++) {
            float v = a[k];
            if (!(v >= 0f) || v == Float.POSITIVE_INFINITY) {
                return k;
            }
        }
        return -1;
    }

    /**
     * Index of the first of a[0..n) that is negative, NaN or above {@code max}; −1 when there is none.
     *
     * @param a   the values
     * @param n   how many to check
     * @param max the largest value allowed, finite
     * @return the index, or −1
     */
    public static int firstOutside(float[] a, int n, double max) {
        float most = 0f;
        float least = 0f;
        for (int k = 0; k < n; k++) {
            most = Math.max(most, a[k]);
            least = Math.min(least, a[k]);
        }
        if (most <= max && least == 0f) {
            return -1;
        }
        for (int k = 0; k < n; k++) {
            float v = a[k];
            if (!(v >= 0f && v <= max)) {
                return k;
            }
        }
        return -1;
    }

    /** Index of the first of a[0..n) that is negative, NaN or infinite; −1 when there is none. */
    public static int firstInvalid(double[] a, int n) {
        double most = 0;
        double least = 0;
        for (int k = 0; k < n; k++) {
            most = Math.max(most, a[k]);
            least = Math.min(least, a[k]);
        }
        if (most < Double.POSITIVE_INFINITY && least == 0) {
            return -1;
        }
        for (int k = 0; k < n; k++) {
            double v = a[k];
            if (!(v >= 0) || v == Double.POSITIVE_INFINITY) {
                return k;
            }
        }
        return -1;
    }
}
