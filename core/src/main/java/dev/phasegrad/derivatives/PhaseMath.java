package dev.phasegrad.derivatives;

/** Angle helpers shared by every phase algorithm. */
public final class PhaseMath {
    public static final double TWO_PI = 2 * Math.PI;

    private PhaseMath() {}

    /** Principal argument: wraps an angle into [−π, π). */
    public static double princarg(double a) {
        return a - TWO_PI * Math.floor((a + Math.PI) / TWO_PI);
    }

    /**
     * Phase advance per hop of bin k's centre frequency, 2πkH/N, reduced mod 2π with k·H taken mod N
     * in integers first, so it stays exact for large k·H.
     */
    public static double binAdvance(int k, int hop, int fftSize) {
        long r = ((long) k * hop) % fftSize;
        return princarg(TWO_PI * r / fftSize);
    }
}
