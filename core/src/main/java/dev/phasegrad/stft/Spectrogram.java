package dev.phasegrad.stft;

/**
 * A whole complex spectrogram, [frames][bins], for offline work; produced by {@link Stft#analyse}
 * and consumed by {@link Stft#synthesise}. Arrays are exposed for speed and not copied.
 */
public final class Spectrogram {
    private final StftConfig config;
    private final float[][] re;
    private final float[][] im;
    private final int signalLength;

    /**
     * Wraps the given arrays, not copied.
     *
     * @param config       the STFT settings the frames are on
     * @param re           real parts, [frames][config.bins()]
     * @param im           imaginary parts, the same shape
     * @param signalLength length in samples of the signal the frames represent
     * @throws IllegalArgumentException if the shapes differ or a frame has another bin count
     */
    public Spectrogram(StftConfig config, float[][] re, float[][] im, int signalLength) {
        if (re.length != im.length) {
            throw new IllegalArgumentException("real part has " + re.length + " frames, imaginary " + im.length);
        }
        for (int t = 0; t < re.length; t++) {
            if (re[t].length != config.bins() || im[t].length != config.bins()) {
                throw new IllegalArgumentException("frame " + t + ": expected " + config.bins() + " bins, got "
                        + re[t].length + "/" + im[t].length);
            }
        }
        this.config = config;
        this.re = re;
        this.im = im;
        this.signalLength = signalLength;
    }

    /** {@return the STFT settings} */
    public StftConfig config() {
        return config;
    }

    /** {@return the number of frames} */
    public int frames() {
        return re.length;
    }

    /** {@return the number of bins per frame} */
    public int bins() {
        return config.bins();
    }

    /** {@return the length in samples of the signal this spectrogram represents (what synthesis returns)} */
    public int signalLength() {
        return signalLength;
    }

    /** {@return the real parts, [frames][bins], not copied} */
    public float[][] re() {
        return re;
    }

    /** {@return the imaginary parts, [frames][bins], not copied} */
    public float[][] im() {
        return im;
    }

    /** {@return |X|, [frames][bins], newly computed} */
    public float[][] magnitude() {
        float[][] m = new float[frames()][bins()];
        for (int t = 0; t < m.length; t++) {
            for (int k = 0; k < m[t].length; k++) {
                m[t][k] = (float) Math.hypot(re[t][k], im[t][k]);
            }
        }
        return m;
    }

    /** {@return the phases in radians, [frames][bins], newly computed} */
    public float[][] phase() {
        float[][] p = new float[frames()][bins()];
        for (int t = 0; t < p.length; t++) {
            for (int k = 0; k < p[t].length; k++) {
                p[t][k] = (float) Math.atan2(im[t][k], re[t][k]);
            }
        }
        return p;
    }
}
