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

    /** Spectrogram with the given magnitudes and phases (radians). */
    public static Spectrogram fromPolar(StftConfig config, float[][] magnitude, float[][] phase, int signalLength) {
        int frames = magnitude.length;
        int bins = config.bins();
        float[][] re = new float[frames][bins];
        float[][] im = new float[frames][bins];
        for (int t = 0; t < frames; t++) {
            for (int k = 0; k < bins; k++) {
                re[t][k] = (float) (magnitude[t][k] * Math.cos(phase[t][k]));
                im[t][k] = (float) (magnitude[t][k] * Math.sin(phase[t][k]));
            }
        }
        return new Spectrogram(config, re, im, signalLength);
    }

    public StftConfig config() {
        return config;
    }

    public int frames() {
        return re.length;
    }

    public int bins() {
        return config.bins();
    }

    /** Length in samples of the signal this spectrogram represents (what synthesis returns). */
    public int signalLength() {
        return signalLength;
    }

    public float[][] re() {
        return re;
    }

    public float[][] im() {
        return im;
    }

    public float[][] magnitude() {
        float[][] m = new float[frames()][bins()];
        for (int t = 0; t < m.length; t++) {
            for (int k = 0; k < m[t].length; k++) {
                m[t][k] = (float) Math.hypot(re[t][k], im[t][k]);
            }
        }
        return m;
    }

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
