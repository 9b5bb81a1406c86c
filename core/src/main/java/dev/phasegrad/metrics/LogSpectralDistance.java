package dev.phasegrad.metrics;

/**
 * Log-spectral distance in dB between power spectrograms.
 *
 * <p>Definition: with {@code P_ref[t,k] = |S_ref[t,k]|²} and {@code P_deg[t,k]} on the same framing
 * as {@link SpectralConvergence} (periodic Hann of the FFT length, frames fully inside the signal,
 * all N/2+1 bins), and {@code L[t,k] = 10·log10(max(P[t,k], floor))},
 * <pre>
 *   d_t = sqrt( (1/K) Σ_k (L_ref[t,k] − L_deg[t,k])² )      per-frame RMS over the K bins
 *   LSD = sqrt( (1/T) Σ_t d_t² )                             RMS over the T frames
 * </pre>
 * (this equals the RMS over all time-frequency cells). The floor sits {@code floorDb} below the
 * loudest cell of the reference ({@code floor = max P_ref · 10^(−floorDb/10)}), so the metric is gain
 * invariant and digital silence cannot produce {@code log 0}; if the reference is all zero the
 * degraded signal's peak is used, and if both are all zero the distance is 0. Default: N = 512,
 * hop = 128, floor 80 dB. Lower is better; 0 for identical signals. Signals of unequal length are
 * trimmed to the shorter one (end of the longer dropped). Stateless and thread safe.
 */
public final class LogSpectralDistance {
    /** Default dynamic range in dB below the reference peak at which powers are floored. */
    public static final double DEFAULT_FLOOR_DB = 80.0;

    private LogSpectralDistance() {}

    /** LSD with Hann 512 / hop 128 and an 80 dB floor. */
    public static double db(float[] ref, float[] deg) {
        return db(ref, deg, SpectralConvergence.DEFAULT_FFT, SpectralConvergence.DEFAULT_HOP, DEFAULT_FLOOR_DB);
    }

    /**
     * @param ref     reference signal
     * @param deg     degraded signal, time aligned with {@code ref}
     * @param fftSize FFT size and window length in samples, even
     * @param hop     frame advance in samples, 1..fftSize
     * @param floorDb floor below the reference's peak cell power, dB, &gt; 0 and finite
     * @return LSD in dB, &ge; 0 (lower is better)
     * @throws IllegalArgumentException on bad input or a common length below one frame
     */
    public static double db(float[] ref, float[] deg, int fftSize, int hop, double floorDb) {
        return db(Signals.toDouble(ref, "reference"), Signals.toDouble(deg, "degraded"), fftSize, hop, floorDb);
    }

    /** Double-precision variant of {@link #db(float[], float[], int, int, double)}. */
    public static double db(double[] ref, double[] deg, int fftSize, int hop, double floorDb) {
        Signals.check(ref, "reference");
        Signals.check(deg, "degraded");
        FramedPower.checkFraming(fftSize, hop);
        if (!(floorDb > 0) || Double.isInfinite(floorDb)) {
            throw new IllegalArgumentException("floorDb must be > 0 and finite, got " + floorDb);
        }
        int frames = FramedPower.frames(Math.min(ref.length, deg.length), fftSize, hop);
        double[][] pr = FramedPower.power(ref, fftSize, hop, frames);
        double[][] pd = FramedPower.power(deg, fftSize, hop, frames);
        double peak = max(pr);
        if (peak == 0) {
            peak = max(pd);
        }
        double floor = Math.max(peak * Math.pow(10.0, -floorDb / 10.0), Double.MIN_NORMAL);
        double acc = 0;
        int bins = pr[0].length;
        for (int t = 0; t < frames; t++) {
            double[] a = pr[t];
            double[] b = pd[t];
            for (int k = 0; k < bins; k++) {
                double d = 10.0 * Math.log10(Math.max(a[k], floor) / Math.max(b[k], floor));
                acc += d * d;
            }
        }
        return Math.sqrt(acc / ((double) frames * bins));
    }

    private static double max(double[][] p) {
        double m = 0;
        for (double[] row : p) {
            for (double v : row) {
                m = Math.max(m, v);
            }
        }
        return m;
    }
}
