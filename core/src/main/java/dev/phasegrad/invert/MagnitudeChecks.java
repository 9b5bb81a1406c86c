package dev.phasegrad.invert;

import dev.phasegrad.integrate.FiniteNonNegative;

/**
 * The validation of magnitude frames where they enter the library ({@code PhaseInverter.push},
 * {@link Inverter#reconstruct}): one clear message naming frame and bin instead of NaN output. The
 * layers below (estimators, LS integration of a frame) rely on it and do not scan the frame again.
 */
public final class MagnitudeChecks {
    private MagnitudeChecks() {}

    /**
     * The largest magnitude |X| accepted: far above any spectrum of audio (a full-scale signal's |X| is at
     * most the window's sum, under 65,536 for every FFT size phasegrad accepts; 32768 times that for
     * int16-scaled samples), and low enough that no inversion overflows float32 on the way to the samples
     * (sums over bins, frames and iterations of |X|, and |X|²): at 3.4·10^38 most methods write infinite
     * samples.
     */
    public static final double MAX_MAGNITUDE = 1e15;

    /**
     * Throws unless {@code magnitude} has {@code bins} values in [0, {@link #MAX_MAGNITUDE}]; {@code frame}
     * is the frame's index in its stream, for the message. Allocation-free on success.
     */
    public static void frame(float[] magnitude, int bins, long frame) {
        if (magnitude == null) {
            throw new IllegalArgumentException("magnitude frame " + frame + " is null");
        }
        if (magnitude.length != bins) {
            throw new IllegalArgumentException(
                    "magnitude frame " + frame + " has " + magnitude.length + " bins, expected " + bins);
        }
        int k = FiniteNonNegative.firstOutside(magnitude, bins, MAX_MAGNITUDE);
        if (k >= 0) {
            float v = magnitude[k];
            throw new IllegalArgumentException("magnitude frame " + frame + " bin " + k
                    + (v > MAX_MAGNITUDE && v < Float.POSITIVE_INFINITY
                            ? " is " + v + ", above the bound " + MAX_MAGNITUDE
                                    + " on magnitudes (no audio spectrum comes near it; the inversion would overflow)"
                            : " must be finite and non-negative, got " + v));
        }
    }

    /** Checks every frame of a [frames][bins] magnitude matrix. */
    public static void all(float[][] magnitude, int bins) {
        if (magnitude == null) {
            throw new IllegalArgumentException("magnitude spectrogram is null");
        }
        for (int t = 0; t < magnitude.length; t++) {
            frame(magnitude[t], bins, t);
        }
    }
}
