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
     * Throws unless {@code magnitude} has {@code bins} finite, non-negative values; {@code frame} is the
     * frame's index in its stream, for the message. Allocation-free on success.
     */
    public static void frame(float[] magnitude, int bins, long frame) {
        if (magnitude == null) {
            throw new IllegalArgumentException("magnitude frame " + frame + " is null");
        }
        if (magnitude.length != bins) {
            throw new IllegalArgumentException(
                    "magnitude frame " + frame + " has " + magnitude.length + " bins, expected " + bins);
        }
        int k = FiniteNonNegative.firstInvalid(magnitude, bins);
        if (k >= 0) {
            throw new IllegalArgumentException(
                    "magnitude frame " + frame + " bin " + k + " must be finite and non-negative, got " + magnitude[k]);
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
