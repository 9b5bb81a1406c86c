package dev.phasegrad.stft;

/**
 * Batch helpers over the streaming STFT / ISTFT, so offline and streaming paths share one frame
 * grid: frame t spans input samples [(t+1)·hop − N, (t+1)·hop), zeros outside the signal.
 * A signal of L samples gives {@link #frameCount(int, StftConfig)} frames, enough for the tail to be
 * fully overlap-added; {@link #synthesise} removes the analysis-synthesis delay and returns L samples.
 */
public final class Stft {
    private Stft() {
    }

    /** Frames covering a signal of {@code length} samples: ceil(L/hop) + (N − hop)/hop, rounded up. */
    public static int frameCount(int length, StftConfig config) {
        int hop = config.hop();
        int padded = length + config.analysisSynthesisDelay();
        return (padded + hop - 1) / hop;
    }

    public static Spectrogram analyse(float[] signal, StftConfig config) {
        int hop = config.hop();
        int frames = frameCount(signal.length, config);
        float[] padded = new float[frames * hop];
        System.arraycopy(signal, 0, padded, 0, signal.length);
        StreamingStft stft = new StreamingStft(config);
        float[][] re = new float[frames][config.bins()];
        float[][] im = new float[frames][config.bins()];
        for (int t = 0; t < frames; t++) {
            stft.push(padded, t * hop, re[t], im[t]);
        }
        return new Spectrogram(config, re, im, signal.length);
    }

    /** Magnitude matrix [frames][bins] of a signal. */
    public static float[][] magnitude(float[] signal, StftConfig config) {
        return analyse(signal, config).magnitude();
    }

    /** Inverse of {@link #analyse}: returns {@link Spectrogram#signalLength()} samples, delay removed. */
    public static float[] synthesise(Spectrogram spec) {
        StftConfig config = spec.config();
        int hop = config.hop();
        int frames = spec.frames();
        float[] out = new float[frames * hop];
        StreamingIstft istft = new StreamingIstft(config);
        for (int t = 0; t < frames; t++) {
            istft.push(spec.re()[t], spec.im()[t], out, t * hop);
        }
        int delay = config.analysisSynthesisDelay();
        int length = Math.min(spec.signalLength(), Math.max(0, out.length - delay));
        float[] y = new float[spec.signalLength()];
        System.arraycopy(out, delay, y, 0, length);
        return y;
    }
}
