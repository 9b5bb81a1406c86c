package dev.phasegrad.derivatives;

import dev.phasegrad.stft.StftConfig;
import java.nio.ByteBuffer;

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

    /** Bytes {@link #saveState} writes; fixed for an instance. */
    int stateBytes();

    /**
     * Writes what a later push reads from earlier ones (past frames, counters) at the buffer's position,
     * {@link #stateBytes()} bytes, big-endian, floats as floats. Allocation-free.
     */
    void saveState(ByteBuffer out);

    /**
     * Replaces the state by one {@link #saveState} wrote on an estimator of the same kind, settings and
     * model; values no stream can reach (a negative frame counter) throw IllegalArgumentException and
     * leave the estimator reset.
     */
    void restoreState(ByteBuffer in);
}
