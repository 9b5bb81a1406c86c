package dev.phasegrad.metrics;

/**
 * Spectral convergence in dB: {@code 20·log10(‖|S_ref| − |S_deg|‖_F / ‖|S_ref|‖_F)} over all frames
 * and bins. Lower is better.
 *
 * <p>STFT: periodic Hann window of the FFT length ({@code w[n] = 0.5 − 0.5·cos(2πn/N)}), frames
 * starting at {@code 0, hop, 2·hop, …} and lying fully inside the signal ({@code s + N ≤ length}; no
 * padding, no centring), unscaled rfft, all {@code N/2+1} bins. The default is N = 512, hop = 128,
 * whatever the sample rate. Signals of unequal length are trimmed to the shorter one (end of the
 * longer dropped); no delay or gain compensation.
 *
 * <p>Special values, never NaN: identical magnitude spectrograms give {@code -Infinity}; a silent
 * reference with a non-silent degraded signal gives {@code +Infinity}. Stateless and thread safe.
 */
public final class SpectralConvergence {
    /** Default FFT size (= window length) in samples. */
    public static final int DEFAULT_FFT = 512;
    /** Default hop in samples. */
    public static final int DEFAULT_HOP = 128;

    private SpectralConvergence() {}

    /**
     * Spectral convergence with Hann 512 / hop 128.
     *
     * @param ref reference signal
     * @param deg degraded signal, time aligned with {@code ref}
     * @return SC in dB (lower is better)
     * @throws IllegalArgumentException on null/empty/non-finite input or a common length below 512
     */
    public static double db(float[] ref, float[] deg) {
        return db(ref, deg, DEFAULT_FFT, DEFAULT_HOP);
    }

    /**
     * Spectral convergence with a periodic Hann window of {@code fftSize} samples and the given hop.
     *
     * @param fftSize FFT size and window length in samples, even
     * @param hop     frame advance in samples, 1..fftSize
     */
    public static double db(float[] ref, float[] deg, int fftSize, int hop) {
        return db(Signals.toDouble(ref, "reference"), Signals.toDouble(deg, "degraded"), fftSize, hop);
    }

    /** Double-precision variant of {@link #db(float[], float[], int, int)}. */
    public static double db(double[] ref, double[] deg, int fftSize, int hop) {
        Signals.check(ref, "reference");
        Signals.check(deg, "degraded");
        FramedPower.checkFraming(fftSize, hop);
        int frames = FramedPower.frames(Math.min(ref.length, deg.length), fftSize, hop);
        double[][] pr = FramedPower.power(ref, fftSize, hop, frames);
        double[][] pd = FramedPower.power(deg, fftSize, hop, frames);
        double num = 0;
        double den = 0;
        for (int t = 0; t < frames; t++) {
            double[] a = pr[t];
            double[] b = pd[t];
            for (int k = 0; k < a.length; k++) {
                double ma = Math.sqrt(a[k]);
                double diff = ma - Math.sqrt(b[k]);
                num += diff * diff;
                den += a[k];
            }
        }
        if (num == 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (den == 0) {
            return Double.POSITIVE_INFINITY;
        }
        return 10.0 * Math.log10(num / den);
    }
}
