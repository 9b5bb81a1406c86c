package dev.phasegrad.stft;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Streaming ISTFT by weighted overlap-add with the canonical dual window: push one complex frame,
 * get {@code hop} finished samples. The output lags the analysed input by
 * {@link StftConfig#analysisSynthesisDelay()} samples; analysis then synthesis of an unmodified
 * spectrum is perfect reconstruction. Allocation-free after construction; not thread safe.
 */
public final class StreamingIstft {
    private final StftConfig config;
    private final RealFft fft;
    private final double[] dual;
    private final double[] accumulator;
    private final double[] frame;

    /** @param config the STFT settings */
    public StreamingIstft(StftConfig config) {
        this.config = config;
        this.fft = new RealFft(config.fftSize());
        this.dual = config.synthesisWindow();
        this.accumulator = new double[config.fftSize()];
        this.frame = new double[config.fftSize()];
    }

    /** {@return the STFT settings} */
    public StftConfig config() {
        return config;
    }

    /** Clears the overlap-add buffer: the next frame starts a new signal. */
    public void reset() {
        Arrays.fill(accumulator, 0);
    }

    /**
     * Samples still pending in the overlap-add, written by {@link #flush}: N − hop. They are also all
     * the state there is between pushes (the accumulator's last hop is zero then).
     *
     * @return N − hop
     */
    public int pending() {
        return config.fftSize() - config.hop();
    }

    /**
     * Writes the {@link #pending()} overlap-added samples not yet output to {@code out[offset..]} and resets.
     *
     * @param out    receives the samples
     * @param offset where the first one goes
     */
    public void flush(float[] out, int offset) {
        int n = pending();
        for (int i = 0; i < n; i++) {
            out[offset + i] = (float) accumulator[i];
        }
        reset();
    }

    /** {@return the bytes of {@link #saveState}: the pending overlap-add samples as doubles} */
    public int stateBytes() {
        return pending() * Double.BYTES;
    }

    /**
     * Writes the overlap-add state at the buffer's position, big-endian. Allocation-free.
     *
     * @param out the buffer, with {@link #stateBytes()} bytes remaining
     */
    public void saveState(ByteBuffer out) {
        int n = pending();
        for (int i = 0; i < n; i++) {
            out.putDouble(accumulator[i]);
        }
    }

    /**
     * Reads what {@link #saveState} wrote for the same settings.
     *
     * @param in the buffer, positioned at the state
     */
    public void restoreState(ByteBuffer in) {
        int n = pending();
        for (int i = 0; i < n; i++) {
            accumulator[i] = in.getDouble();
        }
        Arrays.fill(accumulator, n, accumulator.length, 0);
    }

    /**
     * Adds frame (re, im) and writes the next {@code hop} output samples to {@code out[offset..]}.
     *
     * @param re     real parts, {@link StftConfig#bins()} values
     * @param im     imaginary parts
     * @param out    receives the samples
     * @param offset where the first one goes
     */
    public void push(float[] re, float[] im, float[] out, int offset) {
        int n = config.fftSize();
        int half = n / 2;
        int hop = config.hop();
        fft.inverse(re, im, frame);
        // undo the analysis' circular shift, then window and accumulate
        for (int i = 0; i < half; i++) {
            accumulator[i] += frame[i + half] * dual[i];
            accumulator[i + half] += frame[i] * dual[i + half];
        }
        for (int i = 0; i < hop; i++) {
            out[offset + i] = (float) accumulator[i];
        }
        System.arraycopy(accumulator, hop, accumulator, 0, n - hop);
        Arrays.fill(accumulator, n - hop, n, 0);
    }

    /**
     * One frame's contribution to the overlap-add, without touching the accumulator: inverse FFT of
     * {@code re, im[0 .. bins)}, the analysis shift undone, times the synthesis window, written to
     * {@code out[0 .. fftSize)} in time order (same placement as the frame in {@link StreamingStft}).
     * Summing these at hop spacing is what {@link #push} does. Allocation-free.
     *
     * @param re  real parts
     * @param im  imaginary parts
     * @param out receives fftSize samples
     */
    public void synthesiseFrame(double[] re, double[] im, double[] out) {
        int half = config.fftSize() / 2;
        fft.inverse(re, im, frame);
        for (int i = 0; i < half; i++) {
            out[i] = frame[i + half] * dual[i];
            out[i + half] = frame[i] * dual[i + half];
        }
    }

    /**
     * {@link #push(float[], float[], float[], int)} at offset 0.
     *
     * @param re     real parts
     * @param im     imaginary parts
     * @param outHop receives {@code hop} samples
     */
    public void push(float[] re, float[] im, float[] outHop) {
        push(re, im, outHop, 0);
    }
}
