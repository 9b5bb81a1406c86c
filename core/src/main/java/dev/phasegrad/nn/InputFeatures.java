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
    public enum Mode { NEWEST_MEAN, PER_FRAME_MEAN }

    public static final InputFeatures DEFAULT = new InputFeatures(Mode.NEWEST_MEAN, 1e-4f, 1e-7f, 0.25f);

    private final Mode mode;
    private final float relativeFloor;
    private final float absoluteFloor;
    private final float scale;

    public InputFeatures(Mode mode, float relativeFloor, float absoluteFloor, float scale) {
        if (!(relativeFloor >= 0 && relativeFloor < 1) || !(absoluteFloor > 0) || !(scale > 0)
                || !Float.isFinite(absoluteFloor) || !Float.isFinite(scale)) {
            throw new IllegalArgumentException("input normalisation needs 0 <= relative floor < 1, absolute floor > 0,"
                    + " scale > 0; got " + relativeFloor + ", " + absoluteFloor + ", " + scale);
        }
        this.mode = mode;
        this.relativeFloor = relativeFloor;
        this.absoluteFloor = absoluteFloor;
        this.scale = scale;
    }

    public Mode mode() {
        return mode;
    }

    public float relativeFloor() {
        return relativeFloor;
    }

    public float absoluteFloor() {
        return absoluteFloor;
    }

    public float scale() {
        return scale;
    }

    public InputFeatures withScale(float s) {
        return new InputFeatures(mode, relativeFloor, absoluteFloor, s);
    }

    /**
     * Floored log-magnitude of one frame into {@code out[0..bins)}; returns its mean over bins.
     * Magnitudes must be finite and ≥ 0; they are validated where they enter the library, not here.
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
