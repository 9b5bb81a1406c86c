package dev.phasegrad.features;

import dev.phasegrad.stft.RealFft;
import dev.phasegrad.stft.Spectrogram;
import dev.phasegrad.stft.Windows;

/**
 * Computes the features of a {@link FeatureSpec} from a signal, frame by frame, the way the
 * reference front end does (padding, framing and magnitude as the spec states). Offline: the
 * padding at the end needs the last samples. One instance per thread (holds FFT scratch).
 */
public final class LogMelAnalysis {
    private final FeatureSpec spec;
    private final MelFilterbank filterbank;
    private final RealFft fft;
    private final double[] window;
    private final double[] frame;
    private final double[] re;
    private final double[] im;
    private final double[] spectrum;
    private final double[] mel;

    /**
     * An analysis with the spec's own filterbank.
     *
     * @param spec the front end
     */
    public LogMelAnalysis(FeatureSpec spec) {
        this(spec, new MelFilterbank(spec));
    }

    /**
     * An analysis with a filterbank already built for {@code spec} (it is immutable and can be shared).
     *
     * @param spec       the front end
     * @param filterbank its filterbank
     */
    public LogMelAnalysis(FeatureSpec spec, MelFilterbank filterbank) {
        this.spec = spec;
        this.filterbank = filterbank;
        int n = spec.fftSize();
        this.fft = new RealFft(n);
        this.window = new double[n];
        System.arraycopy(
                Windows.periodicHann(spec.windowLength()),
                0,
                window,
                (n - spec.windowLength()) / 2,
                spec.windowLength());
        this.frame = new double[n];
        this.re = new double[spec.bins()];
        this.im = new double[spec.bins()];
        this.spectrum = new double[spec.bins()];
        this.mel = new double[spec.bands()];
    }

    /** {@return the front end} */
    public FeatureSpec spec() {
        return spec;
    }

    /** {@return the filterbank} */
    public MelFilterbank filterbank() {
        return filterbank;
    }

    /**
     * The features [frames][bands] of a signal at the spec's rate.
     *
     * @param signal samples at the spec's rate
     * @return the features, [frames][bands]
     */
    public float[][] logMel(float[] signal) {
        int frames = requireFrames(signal);
        float[][] out = new float[frames][spec.bands()];
        for (int t = 0; t < frames; t++) {
            spectrum(signal, t, spectrum);
            filterbank.apply(spectrum, mel);
            for (int b = 0; b < mel.length; b++) {
                out[t][b] = (float) spec.toFeature(mel[b]);
            }
        }
        return out;
    }

    /**
     * The features of one frame from its {@code fftSize} samples in time order, padding included: the
     * per-frame step of {@link #logMel}, bit for bit, for a caller that cuts the frames of a stream
     * itself. Allocation-free.
     *
     * @param samples the frame's {@code fftSize} samples
     * @param out     receives {@link FeatureSpec#bands()} values
     */
    public void logMelFrame(double[] samples, float[] out) {
        for (int i = 0; i < frame.length; i++) {
            frame[i] = window[i] == 0 ? 0 : window[i] * samples[i];
        }
        fft.forward(frame, re, im);
        double eps = spec.magnitudeEpsilon();
        for (int k = 0; k < re.length; k++) {
            spectrum[k] = Math.sqrt(re[k] * re[k] + im[k] * im[k] + eps);
        }
        if (spec.power() == 2) {
            for (int k = 0; k < spectrum.length; k++) {
                spectrum[k] *= spectrum[k];
            }
        }
        filterbank.apply(spectrum, mel);
        for (int b = 0; b < mel.length; b++) {
            out[b] = (float) spec.toFeature(mel[b]);
        }
    }

    /**
     * The linear magnitudes [frames][bins] on the feature grid (|X| with the spec's epsilon, before
     * the power): the "true magnitude" a mel inversion tries to recover.
     *
     * @param signal samples at the spec's rate
     * @return the magnitudes, [frames][bins]
     */
    public float[][] magnitude(float[] signal) {
        int frames = requireFrames(signal);
        float[][] out = new float[frames][spec.bins()];
        for (int t = 0; t < frames; t++) {
            magnitudeFrame(signal, t);
            for (int k = 0; k < re.length; k++) {
                out[t][k] = (float) spectrum[k];
            }
        }
        return out;
    }

    /**
     * The complex STFT [frames][bins] on the feature grid, in phasegrad's frame-centred phase
     * convention ({@link dev.phasegrad.stft.StftConfig}) and without the spec's epsilon or power: the
     * truth that an inversion on the feature grid is scored against (oracle phase, true magnitude).
     *
     * @param signal samples at the spec's rate
     * @return the spectrogram
     */
    public Spectrogram spectrogram(float[] signal) {
        int frames = requireFrames(signal);
        int bins = spec.bins();
        float[][] outRe = new float[frames][bins];
        float[][] outIm = new float[frames][bins];
        for (int t = 0; t < frames; t++) {
            windowedFrame(signal, t);
            fft.forward(frame, re, im);
            for (int k = 0; k < bins; k++) {
                // frame-centred: a circular shift by N/2 multiplies bin k by (−1)^k
                double sign = (k & 1) == 0 ? 1 : -1;
                outRe[t][k] = (float) (sign * re[k]);
                outIm[t][k] = (float) (sign * im[k]);
            }
        }
        return new Spectrogram(spec.stft(), outRe, outIm, signal.length);
    }

    private int requireFrames(float[] signal) {
        if (spec.reflectPadding() && spec.padding() >= signal.length) {
            throw new IllegalArgumentException("reflect padding of " + spec.padding()
                    + " samples needs a signal longer " + "than that, got " + signal.length + " samples");
        }
        return spec.frameCount(signal.length);
    }

    /** Frame t's magnitude into {@link #spectrum} (sqrt(re² + im² + eps)). */
    private void magnitudeFrame(float[] signal, int t) {
        windowedFrame(signal, t);
        fft.forward(frame, re, im);
        double eps = spec.magnitudeEpsilon();
        for (int k = 0; k < re.length; k++) {
            spectrum[k] = Math.sqrt(re[k] * re[k] + im[k] * im[k] + eps);
        }
    }

    private void windowedFrame(float[] signal, int t) {
        int n = spec.fftSize();
        long start = (long) t * spec.hop() - spec.padding();
        for (int i = 0; i < n; i++) {
            frame[i] = window[i] == 0 ? 0 : window[i] * sample(signal, start + i);
        }
    }

    private void spectrum(float[] signal, int t, double[] out) {
        magnitudeFrame(signal, t);
        if (spec.power() == 2) {
            for (int k = 0; k < out.length; k++) {
                out[k] *= out[k];
            }
        }
    }

    /** Sample i of the padded signal (i relative to the unpadded start). */
    private double sample(float[] x, long i) {
        int len = x.length;
        if (i >= 0 && i < len) {
            return x[(int) i];
        }
        if (!spec.reflectPadding()) {
            return 0;
        }
        // numpy "reflect": the edge sample is not repeated (x[-1] = x[1])
        long j = i < 0 ? -i : 2L * (len - 1) - i;
        return j >= 0 && j < len ? x[(int) j] : 0;
    }
}
