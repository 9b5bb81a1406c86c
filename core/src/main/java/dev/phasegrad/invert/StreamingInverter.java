package dev.phasegrad.invert;

import dev.phasegrad.stft.Spectrogram;

/**
 * A causal phase reconstructor with explicit state, in the init / execute / done shape of
 * phaseret: construct (init), {@link #push} once per magnitude frame (execute), {@link #reset} to
 * start a new stream. One instance per stream; not thread safe; {@code push} allocates nothing.
 *
 * <p>Push of magnitude frame t writes complex frame {@code t − lookahead()} (its given magnitude with
 * the reconstructed phase) and returns true; during the first {@code lookahead()} pushes it writes
 * nothing and returns false. At the end of a stream, push silent (all-zero) frames to drain it.
 */
public interface StreamingInverter extends Inverter {
    boolean push(float[] magnitude, float[] outRe, float[] outIm);

    void reset();

    /** Drives {@link #push} over a whole spectrogram, draining the look-ahead with silent frames. */
    @Override
    default Spectrogram reconstruct(float[][] magnitude, int signalLength) {
        reset();
        int frames = magnitude.length;
        int bins = config().bins();
        float[][] re = new float[frames][bins];
        float[][] im = new float[frames][bins];
        float[] silence = new float[bins];
        int out = 0;
        for (int t = 0; t < frames + lookahead(); t++) {
            float[] m = t < frames ? magnitude[t] : silence;
            if (out < frames) {
                if (push(m, re[out], im[out])) {
                    out++;
                }
            }
        }
        reset();
        return new Spectrogram(config(), re, im, signalLength);
    }
}
