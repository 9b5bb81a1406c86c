package dev.phasegrad.invert;

import dev.phasegrad.stft.Spectrogram;
import java.nio.ByteBuffer;

/**
 * A causal phase reconstructor with explicit state, in the init / execute / done shape of
 * phaseret: construct (init), {@link #push} once per magnitude frame (execute), {@link #reset} to
 * start a new stream. One instance per stream; not thread safe; {@code push} allocates nothing.
 * Applications use {@code dev.phasegrad.PhaseInverter}, which adds validation and synthesis.
 *
 * <p>Push of magnitude frame t writes complex frame {@code t − lookahead()} (its given magnitude with
 * the reconstructed phase) and returns true; during the first {@code lookahead()} pushes it writes
 * nothing and returns false. At the end of a stream, push silent (all-zero) frames to drain it.
 *
 * <p>{@code push} does not check the frame: it expects {@code bins} finite values ≥ 0, validated once
 * where frames enter the library ({@link MagnitudeChecks}, as {@code PhaseInverter.push} and
 * {@link #reconstruct} do), so that no layer below scans the frame again.
 *
 * <p>State: {@link #saveState} writes everything a later push reads from earlier ones, in
 * {@link #stateBytes()} bytes (floats as floats, doubles as doubles, big-endian); {@link #restoreState}
 * on an inverter built with the same method, settings and model continues the stream bit for bit.
 */
public interface StreamingInverter extends Inverter {
    boolean push(float[] magnitude, float[] outRe, float[] outIm);

    void reset();

    /** Bytes {@link #saveState} writes; fixed for an instance. */
    int stateBytes();

    /** Writes the stream state at the buffer's position, advancing it by {@link #stateBytes()}. Allocation-free. */
    void saveState(ByteBuffer out);

    /**
     * Replaces the stream state by one {@link #saveState} wrote on an inverter of the same method,
     * settings and model, reading {@link #stateBytes()} bytes. The bytes are trusted to be of that
     * layout (the caller checks a header and checksum); values no stream can reach, such as a negative
     * frame counter, throw IllegalArgumentException and leave the inverter reset.
     */
    void restoreState(ByteBuffer in);

    /**
     * Drives {@link #push} over a whole spectrogram, draining the look-ahead with silent frames.
     *
     * @throws IllegalArgumentException naming the frame and bin of the first invalid magnitude
     */
    @Override
    default Spectrogram reconstruct(float[][] magnitude, int signalLength) {
        int bins = config().bins();
        MagnitudeChecks.all(magnitude, bins);
        reset();
        int frames = magnitude.length;
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
