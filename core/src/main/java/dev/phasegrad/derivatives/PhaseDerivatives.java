package dev.phasegrad.derivatives;

import dev.phasegrad.stft.Spectrogram;
import dev.phasegrad.stft.StftConfig;

/**
 * The one definition of phasegrad's phase derivatives (training targets, oracle inputs, heuristic
 * and network outputs all use it), in the frame-centred convention of {@link StftConfig}:
 * <ul>
 *   <li>time direction, "baseband" phase advance, bins k = 0 … N/2:
 *       {@code Δt(t,k) = princarg(φ(t,k) − φ(t−1,k) − 2πkH/N)}, with φ(−1,k) = 0;
 *       integrate by adding back {@link PhaseMath#binAdvance};</li>
 *   <li>frequency direction, local group delay, k = 0 … N/2 − 1:
 *       {@code Δf(t,k) = princarg(φ(t,k+1) − φ(t,k))}.</li>
 * </ul>
 * Units: radians per frame and radians per bin, wrapped into [−π, π).
 */
public final class PhaseDerivatives {
    private PhaseDerivatives() {}

    /** Δt for one frame from the previous and current phases (arrays of N/2+1). */
    public static void timeDirection(float[] prevPhase, float[] phase, StftConfig c, float[] outDt) {
        int bins = c.bins();
        for (int k = 0; k < bins; k++) {
            double adv = PhaseMath.binAdvance(k, c.hop(), c.fftSize());
            outDt[k] = (float) PhaseMath.princarg((double) phase[k] - prevPhase[k] - adv);
        }
    }

    /** Δf for one frame (array of N/2 values). */
    public static void frequencyDirection(float[] phase, float[] outDf) {
        for (int k = 0; k + 1 < phase.length; k++) {
            outDf[k] = (float) PhaseMath.princarg((double) phase[k + 1] - phase[k]);
        }
    }

    /** Δt for every frame, [frames][N/2+1]. */
    public static float[][] timeDirection(Spectrogram s) {
        float[][] ph = s.phase();
        float[][] dt = new float[s.frames()][s.bins()];
        float[] zero = new float[s.bins()];
        for (int t = 0; t < ph.length; t++) {
            timeDirection(t == 0 ? zero : ph[t - 1], ph[t], s.config(), dt[t]);
        }
        return dt;
    }

    /** Δf for every frame, [frames][N/2]. */
    public static float[][] frequencyDirection(Spectrogram s) {
        float[][] ph = s.phase();
        float[][] df = new float[s.frames()][s.bins() - 1];
        for (int t = 0; t < ph.length; t++) {
            frequencyDirection(ph[t], df[t]);
        }
        return df;
    }
}
