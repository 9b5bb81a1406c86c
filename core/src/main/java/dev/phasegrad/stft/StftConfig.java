package dev.phasegrad.stft;

import java.util.Objects;

/**
 * STFT settings shared by analysis, synthesis, every inverter and every model file.
 *
 * <p>Window: periodic Hann of {@code windowLength} samples, centred in an FFT frame of
 * {@code fftSize} samples (zero-padded on both sides when shorter). Bins k = 0 … fftSize/2.
 *
 * <p><b>Phase convention: frame-centred.</b> The time reference of frame t is the centre of its
 * window, sample {@code (t+1)·hop − fftSize/2} of the input (frame t spans input samples
 * {@code [(t+1)·hop − fftSize, (t+1)·hop)}). Concretely the windowed frame is circularly shifted
 * by fftSize/2 before the FFT. With this convention the phase of a stationary sinusoid advances
 * by {@code 2π k hop / fftSize} per frame at bin k, and the PGHI relations between log-magnitude
 * gradients and phase derivatives hold without the extra π-per-bin term a frame-start reference
 * would introduce.
 */
public final class StftConfig {
    /** The paper's configuration and phasegrad's default: periodic Hann 1024, hop 256, 16 kHz. */
    public static final StftConfig DEFAULT = new StftConfig(1024, 1024, 256, 16000);
    /** The finer resolution most earlier work (phaseret, Masuyama et al.) reports at 16 kHz. */
    public static final StftConfig HANN_512_128 = new StftConfig(512, 512, 128, 16000);

    private final int fftSize;
    private final int windowLength;
    private final int hop;
    private final int sampleRate;

    /**
     * Settings of a Hann-windowed STFT.
     *
     * @param fftSize      FFT size N, even and at least 4
     * @param windowLength window length in [2, N], N minus it even; the window is centred in the frame
     * @param hop          hop size in samples, in [1, windowLength / 2]
     * @param sampleRate   sample rate in Hz, at least 1
     * @throws IllegalArgumentException if a value is outside these ranges
     */
    public StftConfig(int fftSize, int windowLength, int hop, int sampleRate) {
        if (fftSize < 4 || (fftSize & 1) != 0) {
            throw new IllegalArgumentException("FFT size must be even and >= 4, got " + fftSize);
        }
        if (windowLength < 2 || windowLength > fftSize || ((fftSize - windowLength) & 1) != 0) {
            throw new IllegalArgumentException("window length must be in [2, FFT size " + fftSize
                    + "] with an even difference to it, got " + windowLength);
        }
        if (hop < 1 || 2 * hop > windowLength) {
            throw new IllegalArgumentException("hop must be in [1, window length / 2 = " + windowLength / 2
                    + "] for overlap-add reconstruction, got " + hop);
        }
        if (sampleRate < 1) {
            throw new IllegalArgumentException("sample rate must be positive, got " + sampleRate);
        }
        this.fftSize = fftSize;
        this.windowLength = windowLength;
        this.hop = hop;
        this.sampleRate = sampleRate;
    }

    /**
     * Periodic Hann window of {@code fftSize} samples (FFT size = window length), hop {@code hop}, at
     * 16 kHz; {@link #withSampleRate} for another rate.
     *
     * @param fftSize FFT size and window length N
     * @param hop     hop size in samples
     * @return the settings
     */
    public static StftConfig hann(int fftSize, int hop) {
        return new StftConfig(fftSize, fftSize, hop, 16000);
    }

    /**
     * The same as {@link #hann(int, int)}.
     *
     * @param fftSize FFT size and window length N
     * @param hop     hop size in samples
     * @return the settings
     * @deprecated the name does not say which window; use {@link #hann(int, int)}
     */
    @Deprecated
    public static StftConfig of(int fftSize, int hop) {
        return hann(fftSize, hop);
    }

    /** {@return the FFT size N} */
    public int fftSize() {
        return fftSize;
    }

    /** {@return the window length in samples} */
    public int windowLength() {
        return windowLength;
    }

    /** {@return the hop size in samples} */
    public int hop() {
        return hop;
    }

    /** {@return the sample rate in Hz} */
    public int sampleRate() {
        return sampleRate;
    }

    /** {@return the number of frequency bins, fftSize/2 + 1} */
    public int bins() {
        return fftSize / 2 + 1;
    }

    /** {@return the analysis window over the full FFT frame (zeros outside the centred Hann), a fresh copy} */
    public double[] analysisWindow() {
        double[] w = new double[fftSize];
        double[] hann = Windows.periodicHann(windowLength);
        System.arraycopy(hann, 0, w, (fftSize - windowLength) / 2, windowLength);
        return w;
    }

    /** {@return the canonical dual of {@link #analysisWindow()} for this hop, a fresh copy} */
    public double[] synthesisWindow() {
        return Windows.canonicalDual(analysisWindow(), hop);
    }

    /** {@return the delay in samples between an input sample and its reconstruction by streaming STFT then ISTFT} */
    public int analysisSynthesisDelay() {
        return fftSize - hop;
    }

    /** {@return the duration of one hop in milliseconds} */
    public double hopMillis() {
        return 1000.0 * hop / sampleRate;
    }

    /**
     * Same settings at another sample rate.
     *
     * @param rate sample rate in Hz
     * @return the settings at {@code rate}
     */
    public StftConfig withSampleRate(int rate) {
        return new StftConfig(fftSize, windowLength, hop, rate);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof StftConfig)) {
            return false;
        }
        StftConfig c = (StftConfig) o;
        return fftSize == c.fftSize && windowLength == c.windowLength && hop == c.hop && sampleRate == c.sampleRate;
    }

    @Override
    public int hashCode() {
        return Objects.hash(fftSize, windowLength, hop, sampleRate);
    }

    @Override
    public String toString() {
        return "Hann " + windowLength + (windowLength != fftSize ? " (FFT " + fftSize + ")" : "") + " / hop " + hop
                + " @ " + sampleRate + " Hz";
    }
}
