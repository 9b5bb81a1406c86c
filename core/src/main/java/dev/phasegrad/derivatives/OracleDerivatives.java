package dev.phasegrad.derivatives;

import dev.phasegrad.stft.Spectrogram;
import dev.phasegrad.stft.StftConfig;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The true phase derivatives of a known spectrogram, frame by frame, with no look-ahead: the
 * upper bound for any estimator feeding the LS integration, and its self-test. Push of frame t
 * writes Δt(t,·) and Δf(t,·) of the stored spectrogram (definitions of {@link PhaseDerivatives},
 * φ(−1,·) = 0) and copies the pushed magnitude through. Frames pushed beyond the stored ones
 * are treated as having phase 0. Only meaningful when the pushed magnitudes come from that
 * spectrogram. One instance per stream; not thread safe; push allocates nothing.
 */
public final class OracleDerivatives implements DerivativeEstimator {
    private final Spectrogram truth;
    private final float[] prevPhase;
    private final float[] phase;
    private int frame;

    public OracleDerivatives(Spectrogram truth) {
        this.truth = truth;
        this.prevPhase = new float[truth.bins()];
        this.phase = new float[truth.bins()];
    }

    @Override
    public StftConfig config() {
        return truth.config();
    }

    @Override
    public int lookahead() {
        return 0;
    }

    @Override
    public boolean push(float[] magnitude, float[] outDt, float[] outDf, float[] outMagnitude) {
        int bins = truth.bins();
        if (magnitude.length != bins) {
            throw new IllegalArgumentException(
                    "frame " + frame + ": magnitude has " + magnitude.length + " bins, expected " + bins);
        }
        if (frame < truth.frames()) {
            float[] re = truth.re()[frame];
            float[] im = truth.im()[frame];
            for (int k = 0; k < bins; k++) {
                phase[k] = (float) Math.atan2(im[k], re[k]);
            }
        } else {
            Arrays.fill(phase, 0f);
        }
        PhaseDerivatives.timeDirection(prevPhase, phase, truth.config(), outDt);
        PhaseDerivatives.frequencyDirection(phase, outDf);
        System.arraycopy(magnitude, 0, outMagnitude, 0, bins);
        System.arraycopy(phase, 0, prevPhase, 0, bins);
        frame++;
        return true;
    }

    /** The frame counter and the previous frame's true phase. */
    @Override
    public int stateBytes() {
        return Integer.BYTES + prevPhase.length * Float.BYTES;
    }

    @Override
    public void saveState(ByteBuffer out) {
        out.putInt(frame);
        for (float v : prevPhase) {
            out.putFloat(v);
        }
    }

    @Override
    public void restoreState(ByteBuffer in) {
        int f = in.getInt();
        for (int k = 0; k < prevPhase.length; k++) {
            prevPhase[k] = in.getFloat();
        }
        if (f < 0) {
            reset();
            throw new IllegalArgumentException("oracle derivatives state: frame counter " + f + " is negative");
        }
        frame = f;
    }

    @Override
    public void reset() {
        Arrays.fill(prevPhase, 0f);
        frame = 0;
    }
}
