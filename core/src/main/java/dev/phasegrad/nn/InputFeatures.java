package dev.phasegrad.nn;

/**
 * The network's input normalisation, shared by inference and training so both see identical inputs.
 *
 * <p>Per frame: {@code L[k] = ln(max(m[k], relativeFloor · max_k m, absoluteFloor))}, so digital
 * silence and deep spectral valleys give a bounded value instead of −∞ (the floor is relative to the
 * frame maximum, −80 dB by default, with an absolute floor for all-zero frames). Network input channel
 * i is frame (newest − i), {@code (L − mean) · scale}, where the mean over bins is, in mode
 * {@link Mode#NEWEST_MEAN}, that of the newest input frame for every channel (level changes between
 * frames, the cue for the frequency-direction derivative, survive), or in {@link Mode#PER_FRAME_MEAN}
 * each frame's own mean (Masuyama et al.). Frames before a stream's start are silent (m = 0).
 * Immutable.
 */
public final class InputFeatures {
    /** Which mean is subtracted. */
    public enum Mode {
        /** The newest frame's mean, for every channel. */
        NEWEST_MEAN,
        /** Each frame's own mean. */
        PER_FRAME_MEAN
    }

    /**
     * Newest-frame mean, floors 1e-4 (−80 dB) relative and 1e-7 absolute, scale 0.25: the built-in models' normalisation.
     */
    public static final InputFeatures DEFAULT = new InputFeatures(Mode.NEWEST_MEAN, 1e-4f, 1e-7f, 0.25f);

    private final Mode mode;
    private final float relativeFloor;
    private final float absoluteFloor;
    private final float scale;

    /**
     * @param mode          which mean is subtracted
     * @param relativeFloor floor relative to the frame maximum, in [0, 1)
     * @param absoluteFloor floor for all frames, &gt; 0
     * @param scale         factor after the mean is removed, &gt; 0
     * @throws IllegalArgumentException outside these ranges
     */
    public InputFeatures(Mode mode, float relativeFloor, float absoluteFloor, float scale) {
        if (!(relativeFloor >= 0 && relativeFloor < 1)
                || !(absoluteFloor > 0)
                || !(scale > 0)
                || !Float.isFinite(absoluteFloor)
                || !Float.isFinite(scale)) {
            throw new IllegalArgumentException("input normalisation needs 0 <= relative floor < 1, absolute floor > 0,"
                    + " scale > 0; got " + relativeFloor + ", " + absoluteFloor + ", " + scale);
        }
        this.mode = mode;
        this.relativeFloor = relativeFloor;
        this.absoluteFloor = absoluteFloor;
        this.scale = scale;
    }

    /** {@return which mean is subtracted} */
    public Mode mode() {
        return mode;
    }

    /** {@return the floor relative to the frame maximum} */
    public float relativeFloor() {
        return relativeFloor;
    }

    /** {@return the absolute floor} */
    public float absoluteFloor() {
        return absoluteFloor;
    }

    /** {@return the factor applied after the mean is removed} */
    public float scale() {
        return scale;
    }

    /**
     * The same normalisation with another scale.
     *
     * @param s the scale, &gt; 0
     * @return the normalisation
     */
    public InputFeatures withScale(float s) {
        return new InputFeatures(mode, relativeFloor, absoluteFloor, s);
    }

    /**
     * Floored log-magnitude of one frame into {@code out[0..bins)}; returns its mean over bins.
     * Magnitudes must be finite and ≥ 0; they are validated where they enter the library, not here.
     *
     * @param magnitude the frame's magnitudes
     * @param bins      how many of them
     * @param out       receives the floored log-magnitudes
     * @return their mean over bins
     */
    public float logFrame(float[] magnitude, int bins, float[] out) {
        float max = 0f;
        for (int k = 0; k < bins; k++) {
            max = Math.max(max, magnitude[k]);
        }
        float floor = Math.max(absoluteFloor, relativeFloor * max);
        for (int k = 0; k < bins; k++) {
            out[k] = Math.max(magnitude[k], floor);
        }
        FastLog.log(out, out, bins);
        double sum = 0;
        for (int k = 0; k < bins; k++) {
            sum += out[k];
        }
        return (float) (sum / bins);
    }

    /**
     * Builds network input rows from floored log frames. {@code logs[i]} / {@code means[i]} belong to
     * frame (newest − i), i = 0 … channels − 1.
     *
     * @param logs     floored log frames, newest first
     * @param means    their means
     * @param channels input channels (frames) to build
     * @param bins     values per row
     * @param out      receives the rows, [channels][bins]
     */
    public void inputRows(float[][] logs, float[] means, int channels, int bins, float[][] out) {
        for (int i = 0; i < channels; i++) {
            float mu = mode == Mode.NEWEST_MEAN ? means[0] : means[i];
            float[] l = logs[i];
            float[] o = out[i];
            for (int k = 0; k < bins; k++) {
                o[k] = (l[k] - mu) * scale;
            }
        }
    }
}
