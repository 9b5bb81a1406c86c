package dev.phasegrad.stft;

import java.util.Arrays;

/**
 * Batch helpers over the streaming STFT / ISTFT, so offline and streaming paths share one frame
 * grid: frame t spans input samples [(t+1)·hop − N, (t+1)·hop), zeros outside the signal.
 * A signal of L samples gives {@link #frameCount(int, StftConfig)} frames, enough for the tail to be
 * fully overlap-added; {@link #synthesise} removes the analysis-synthesis delay and returns L samples.
 */
public final class Stft {
    private Stft() {}

    /**
     * Frames covering a signal of {@code length} samples: ceil(L/hop) + (N − hop)/hop, rounded up.
     *
     * @param length signal length in samples
     * @param config the STFT settings
     * @return the frame count
     */
    public static int frameCount(int length, StftConfig config) {
        int hop = config.hop();
        int padded = length + config.analysisSynthesisDelay();
        return (padded + hop - 1) / hop;
    }

    /**
     * Analyses a whole signal on phasegrad's frame grid (frame t ends at input sample (t+1)·hop).
     *
     * @param signal the samples
     * @param config the STFT settings
     * @return {@link #frameCount} frames
     */
    public static Spectrogram analyse(float[] signal, StftConfig config) {
        int frames = frameCount(signal.length, config);
        Spectrogram spec = new Spectrogram(
                config, new float[frames][config.bins()], new float[frames][config.bins()], signal.length);
        analyse(signal, spec);
        return spec;
    }

    /**
     * {@link #analyse(float[], StftConfig)} into an existing spectrogram, for iterative methods that
     * re-analyse many times: {@code into} must have {@link #frameCount} frames for {@code signal.length}.
     * Allocates only O(fftSize) working memory, never anything proportional to the signal.
     *
     * @param signal the samples
     * @param into   receives the frames
     */
    public static void analyse(float[] signal, Spectrogram into) {
        StftConfig config = into.config();
        int hop = config.hop();
        int frames = frameCount(signal.length, config);
        if (into.frames() != frames) {
            throw new IllegalArgumentException("a signal of " + signal.length + " samples needs " + frames
                    + " frames, the target spectrogram has " + into.frames());
        }
        StreamingStft stft = new StreamingStft(config);
        float[] tail = new float[hop];
        for (int t = 0; t < frames; t++) {
            int start = t * hop;
            if (start + hop <= signal.length) {
                stft.push(signal, start, into.re()[t], into.im()[t]);
            } else {
                // past the end the signal is zero-padded
                Arrays.fill(tail, 0f);
                if (start < signal.length) {
                    System.arraycopy(signal, start, tail, 0, signal.length - start);
                }
                stft.push(tail, 0, into.re()[t], into.im()[t]);
            }
        }
    }

    /**
     * Magnitude matrix [frames][bins] of a signal.
     *
     * @param signal the samples
     * @param config the STFT settings
     * @return |X| of {@link #analyse(float[], StftConfig)}
     */
    public static float[][] magnitude(float[] signal, StftConfig config) {
        return analyse(signal, config).magnitude();
    }

    /**
     * Inverse of {@link #analyse}: returns {@link Spectrogram#signalLength()} samples, delay removed.
     *
     * @param spec the frames
     * @return the signal
     */
    public static float[] synthesise(Spectrogram spec) {
        float[] y = new float[spec.signalLength()];
        synthesise(spec, y);
        return y;
    }

    /**
     * {@link #synthesise(Spectrogram)} into {@code out[0 .. signalLength)}, for iterative methods;
     * {@code out} must hold at least {@link Spectrogram#signalLength()} samples, later ones are left
     * untouched. Allocates only O(fftSize) working memory.
     *
     * @param spec the frames
     * @param out  receives the signal
     */
    public static void synthesise(Spectrogram spec, float[] out) {
        StftConfig config = spec.config();
        int length = spec.signalLength();
        if (out.length < length) {
            throw new IllegalArgumentException(
                    "output holds " + out.length + " samples, the spectrogram's signal has " + length);
        }
        int hop = config.hop();
        int delay = config.analysisSynthesisDelay();
        StreamingIstft istft = new StreamingIstft(config);
        float[] block = new float[hop];
        // output sample i of the ISTFT is signal sample i − delay; samples past the length are dropped
        for (int t = 0; t < spec.frames(); t++) {
            istft.push(spec.re()[t], spec.im()[t], block, 0);
            int from = Math.max(0, delay - t * hop);
            int to = Math.min(hop, length + delay - t * hop);
            if (from < to) {
                System.arraycopy(block, from, out, t * hop + from - delay, to - from);
            }
        }
        int covered = Math.max(0, spec.frames() * hop - delay);
        if (covered < length) {
            Arrays.fill(out, covered, length, 0f);
        }
    }
}
