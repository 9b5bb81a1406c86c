package dev.phasegrad.invert;

import dev.phasegrad.stft.FiniteNonNegative;

/** Input validation shared by the baseline inverters: one clear message instead of NaN output. */
final class MagnitudeChecks {
    private MagnitudeChecks() {
    }

    /** Throws unless {@code magnitude} has {@code bins} finite, non-negative values. Allocation-free on success. */
    static void frame(float[] magnitude, int bins, long frame) {
        if (magnitude == null) {
            throw new IllegalArgumentException("magnitude frame " + frame + " is null");
        }
        if (magnitude.length != bins) {
            throw new IllegalArgumentException("magnitude frame " + frame + " has " + magnitude.length
                    + " bins, expected " + bins);
        }
        int k = FiniteNonNegative.firstInvalid(magnitude, bins);
        if (k >= 0) {
            throw new IllegalArgumentException("magnitude frame " + frame + " bin " + k
                    + " must be finite and non-negative, got " + magnitude[k]);
        }
    }

    /** Checks every frame of a [frames][bins] magnitude matrix. */
    static void all(float[][] magnitude, int bins) {
        if (magnitude == null) {
            throw new IllegalArgumentException("magnitude spectrogram is null");
        }
        for (int t = 0; t < magnitude.length; t++) {
            frame(magnitude[t], bins, t);
        }
    }
}
