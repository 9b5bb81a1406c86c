package dev.phasegrad.derivatives;

import dev.phasegrad.stft.StftConfig;

/**
 * Streaming estimator of phase derivatives from magnitudes (heuristic, network, or oracle), in the
 * definitions of {@link PhaseDerivatives}. One instance per stream; push allocates nothing.
 */
public interface DerivativeEstimator {
    StftConfig config();

    /** Frames of look-ahead: push of magnitude frame t yields the estimate for frame t − lookahead(). */
    int lookahead();

    /**
     * Pushes magnitude frame t. When it returns true it has written, for frame t − lookahead():
     * {@code outDt[0..N/2]} (baseband time-direction derivative), {@code outDf[0..N/2−1]}
     * (frequency-direction derivative) and {@code outMagnitude[0..N/2]} (that frame's magnitude).
     */
    boolean push(float[] magnitude, float[] outDt, float[] outDf, float[] outMagnitude);

    void reset();
}
