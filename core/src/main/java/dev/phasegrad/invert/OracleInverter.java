package dev.phasegrad.invert;

import dev.phasegrad.stft.Spectrogram;
import dev.phasegrad.stft.StftConfig;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Upper bound for tables and tests: returns the given magnitude with the true phase of a known
 * spectrogram, frame by frame. Only meaningful when the magnitudes come from that spectrogram.
 */
public final class OracleInverter implements StreamingInverter {
    private final Spectrogram truth;
    private int frame;

    public OracleInverter(Spectrogram truth) {
        this.truth = truth;
    }

    @Override
    public String name() {
        return "oracle";
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
    public boolean push(float[] magnitude, float[] outRe, float[] outIm) {
        int bins = truth.bins();
        if (frame >= truth.frames()) {
            Arrays.fill(outRe, 0, bins, 0f);
            Arrays.fill(outIm, 0, bins, 0f);
            frame++;
            return true;
        }
        float[] tr = truth.re()[frame];
        float[] ti = truth.im()[frame];
        for (int k = 0; k < bins; k++) {
            double a = Math.hypot(tr[k], ti[k]);
            if (a > 0) {
                outRe[k] = (float) (magnitude[k] * tr[k] / a);
                outIm[k] = (float) (magnitude[k] * ti[k] / a);
            } else {
                outRe[k] = magnitude[k];
                outIm[k] = 0f;
            }
        }
        frame++;
        return true;
    }

    /** The frame counter. */
    @Override
    public int stateBytes() {
        return Integer.BYTES;
    }

    @Override
    public void saveState(ByteBuffer out) {
        out.putInt(frame);
    }

    @Override
    public void restoreState(ByteBuffer in) {
        int f = in.getInt();
        if (f < 0) {
            reset();
            throw new IllegalArgumentException("oracle state: frame counter " + f + " is negative");
        }
        frame = f;
    }

    @Override
    public void reset() {
        frame = 0;
    }
}
