package dev.phasegrad.stft;

import java.util.Arrays;

/**
 * Streaming STFT analysis: push {@code hop} new samples, get one complex frame of
 * {@link StftConfig#bins()} bins in the frame-centred phase convention of {@link StftConfig}.
 * Samples before the first push are zeros. Allocation-free after construction; not thread safe.
 */
public final class StreamingStft {
    private final StftConfig config;
    private final RealFft fft;
    private final double[] window;
    private final double[] history;
    private final double[] frame;
    private long frames;

    /** @param config the STFT settings */
    public StreamingStft(StftConfig config) {
        this.config = config;
        this.fft = new RealFft(config.fftSize());
        this.window = config.analysisWindow();
        this.history = new double[config.fftSize()];
        this.frame = new double[config.fftSize()];
    }

    /** {@return the STFT settings} */
    public StftConfig config() {
        return config;
    }

    /** {@return the frames produced since construction or the last {@link #reset()}} */
    public long frames() {
        return frames;
    }

    /** Forgets the history: the next frame starts from silence again, as after construction. */
    public void reset() {
        Arrays.fill(history, 0);
        frames = 0;
    }

    /**
     * Consumes {@code hop} samples from {@code in[offset..]} and writes frame t into re / im.
     *
     * @param in     the samples
     * @param offset where the hop's first sample is in {@code in}
     * @param re     receives the real parts, {@link StftConfig#bins()} values
     * @param im     receives the imaginary parts
     */
    public void push(float[] in, int offset, float[] re, float[] im) {
        int n = config.fftSize();
        int hop = config.hop();
        System.arraycopy(history, hop, history, 0, n - hop);
        for (int i = 0; i < hop; i++) {
            history[n - hop + i] = in[offset + i];
        }
        analyse(re, im);
    }

    /**
     * {@link #push(float[], int, float[], float[])} from offset 0.
     *
     * @param hopSamples the next {@code hop} samples
     * @param re         receives the real parts
     * @param im         receives the imaginary parts
     */
    public void push(float[] hopSamples, float[] re, float[] im) {
        push(hopSamples, 0, re, im);
    }

    /**
     * Analyses one stand-alone frame, {@code signal[offset .. offset + fftSize)} in time order, in the
     * same window and phase convention as {@link #push}, into {@code re, im[0 .. bins)}. For methods
     * that re-analyse a frame of a partial reconstruction (RTISI-LA); the streaming history is not
     * touched. Allocation-free.
     *
     * @param signal the samples
     * @param offset where the frame starts in {@code signal}
     * @param re     receives the real parts
     * @param im     receives the imaginary parts
     */
    public void analyseFrame(double[] signal, int offset, double[] re, double[] im) {
        analyseFrame(signal, offset, window, re, im);
    }

    /**
     * {@link #analyseFrame(double[], int, double[], double[])} with another analysis window of
     * fftSize samples in time order (frame start first), e.g. RTISI-LA's asymmetric window.
     *
     * @param signal         the samples
     * @param offset         where the frame starts in {@code signal}
     * @param analysisWindow fftSize window values
     * @param re             receives the real parts
     * @param im             receives the imaginary parts
     */
    public void analyseFrame(double[] signal, int offset, double[] analysisWindow, double[] re, double[] im) {
        int n = config.fftSize();
        int half = n / 2;
        for (int i = 0; i < half; i++) {
            frame[i] = signal[offset + i + half] * analysisWindow[i + half];
            frame[i + half] = signal[offset + i] * analysisWindow[i];
        }
        fft.forward(frame, re, im);
    }

    private void analyse(float[] re, float[] im) {
        int n = config.fftSize();
        int half = n / 2;
        // circular shift by n/2 puts the window centre at time 0 (frame-centred phase)
        for (int i = 0; i < half; i++) {
            frame[i] = history[i + half] * window[i + half];
            frame[i + half] = history[i] * window[i];
        }
        fft.forward(frame, re, im);
        frames++;
    }
}
