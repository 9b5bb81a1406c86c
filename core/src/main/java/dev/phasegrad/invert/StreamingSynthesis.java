package dev.phasegrad.invert;

import dev.phasegrad.stft.StftConfig;
import dev.phasegrad.stft.StreamingIstft;

/**
 * Magnitude frames in, audio out: a {@link StreamingInverter} followed by the streaming ISTFT.
 * Each {@link #push} takes one magnitude frame and writes {@code hop} samples. Total delay from
 * the analysed input to the output is (N − hop) + lookahead·hop samples. Allocation-free.
 */
public final class StreamingSynthesis {
    private final StreamingInverter inverter;
    private final StreamingIstft istft;
    private final float[] re;
    private final float[] im;

    public StreamingSynthesis(StreamingInverter inverter) {
        this.inverter = inverter;
        this.istft = new StreamingIstft(inverter.config());
        this.re = new float[inverter.config().bins()];
        this.im = new float[inverter.config().bins()];
    }

    public StftConfig config() {
        return inverter.config();
    }

    /** Output delay in samples relative to the signal the magnitudes were analysed from. */
    public int latencySamples() {
        StftConfig c = inverter.config();
        return c.analysisSynthesisDelay() + inverter.lookahead() * c.hop();
    }

    /** Pushes one magnitude frame; writes {@code hop} samples (zeros while the look-ahead fills). */
    public void push(float[] magnitude, float[] outHop) {
        int bins = inverter.config().bins();
        if (magnitude.length != bins) {
            throw new IllegalArgumentException("magnitude frame has " + magnitude.length + " bins, expected " + bins);
        }
        if (inverter.push(magnitude, re, im)) {
            istft.push(re, im, outHop);
        } else {
            java.util.Arrays.fill(outHop, 0, inverter.config().hop(), 0f);
        }
    }

    public void reset() {
        inverter.reset();
        istft.reset();
    }
}
