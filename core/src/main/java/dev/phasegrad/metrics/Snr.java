package dev.phasegrad.metrics;

/**
 * Plain signal-to-noise ratio in dB: {@code 10·log10(Σ ref² / Σ (ref − deg)²)} over all samples, no
 * alignment, gain or DC compensation. Signals of unequal length are trimmed to the shorter one (end
 * of the longer dropped).
 *
 * <p>Special values, never NaN: identical signals give {@code +Infinity}; an all-zero reference
 * with a different degraded signal gives {@code -Infinity}. Stateless and thread safe.
 */
public final class Snr {
    private Snr() {}

    /**
     * @param ref reference signal
     * @param deg degraded signal, time aligned with {@code ref}
     * @return SNR in dB (higher is better)
     * @throws IllegalArgumentException on null, empty or non-finite input
     */
    public static double db(float[] ref, float[] deg) {
        return db(Signals.toDouble(ref, "reference"), Signals.toDouble(deg, "degraded"));
    }

    /** Double-precision variant of {@link #db(float[], float[])}. */
    public static double db(double[] ref, double[] deg) {
        Signals.check(ref, "reference");
        Signals.check(deg, "degraded");
        int n = Math.min(ref.length, deg.length);
        double sig = 0;
        double err = 0;
        for (int i = 0; i < n; i++) {
            double d = ref[i] - deg[i];
            sig += ref[i] * ref[i];
            err += d * d;
        }
        if (err == 0) {
            return Double.POSITIVE_INFINITY;
        }
        return 10.0 * Math.log10(sig / err);
    }
}
