package dev.phasegrad.stft;

/** Window math: analysis windows and the canonical dual (synthesis) window for overlap-add. */
public final class Windows {
    private Windows() {}

    /**
     * Periodic Hann {@code w[n] = 0.5 − 0.5 cos(2πn/len)}, the STFT convention (sums to a constant under hops len/2^k).
     *
     * @param len window length
     * @return the window
     */
    public static double[] periodicHann(int len) {
        if (len < 1) {
            throw new IllegalArgumentException("window length must be >= 1, got " + len);
        }
        double[] w = new double[len];
        for (int i = 0; i < len; i++) {
            w[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / len);
        }
        return w;
    }

    /**
     * Canonical dual window for weighted overlap-add: {@code g[n] / Σ_m g[n − mH]²}. Analysis with g
     * followed by synthesis with this window is perfect reconstruction wherever the sum is non-zero.
     *
     * @param g   the analysis window
     * @param hop the hop H
     * @return the dual window, as long as {@code g}
     */
    public static double[] canonicalDual(double[] g, int hop) {
        int len = g.length;
        if (hop < 1 || hop > len) {
            throw new IllegalArgumentException("hop must be in [1, " + len + "], got " + hop);
        }
        double[] dual = new double[len];
        for (int i = 0; i < len; i++) {
            double s = 0;
            for (int j = i % hop; j < len; j += hop) {
                s += g[j] * g[j];
            }
            if (s <= 0) {
                throw new IllegalArgumentException(
                        "window and hop " + hop + " do not cover sample " + i + ": no perfect reconstruction");
            }
            dual[i] = g[i] / s;
        }
        return dual;
    }
}
