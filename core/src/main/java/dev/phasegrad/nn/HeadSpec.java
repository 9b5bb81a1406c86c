package dev.phasegrad.nn;

/**
 * One output of a network: a convolution on the trunk's last activation giving one phase derivative
 * of one frame, or (target {@link Target#LOG_MAGNITUDE}) a per-bin correction of the log-magnitude.
 * {@code frameOffset} is relative to the newest input frame (0 = newest, −1 = the frame before).
 * Encoding {@link Encoding#COS_SIN}: two rows (cos, sin), the angle is their atan2 (wrap-safe);
 * {@link Encoding#ANGLE}: one row read directly as radians (Masuyama et al.); {@link Encoding#VALUE}:
 * one row read as it is (the log-magnitude correction, K values). Immutable.
 */
public final class HeadSpec {
    /**
     * What the head predicts: a phase derivative (as phasegrad defines them, in the internal
     * {@code derivatives.PhaseDerivatives}) or a log-magnitude correction.
     */
    public enum Target {
        /** The time derivative of the phase, on the frame's bins. */
        DT,
        /** The frequency derivative of the phase, between neighbouring bins (one value fewer). */
        DF,
        /** A per-bin correction of the log-magnitude (the mel refiner's output). */
        LOG_MAGNITUDE
    }

    /** How the head's rows are read; the file format stores the ordinal, so new values go last. */
    public enum Encoding {
        /** Two rows, cos and sin; the angle is their atan2. */
        COS_SIN,
        /** One row, the angle in radians. */
        ANGLE,
        /** One row read as it is. */
        VALUE
    }

    private final Target target;
    private final int frameOffset;
    private final Encoding encoding;
    private final LayerSpec layer;

    /**
     * @param target      which derivative
     * @param frameOffset which frame, relative to the newest (0, −1, ...)
     * @param encoding    how the rows encode the angle
     * @param layer       the convolution: linear, without skip, with the rows the encoding needs
     * @throws IllegalArgumentException if the layer does not fit the target and encoding, or the offset is positive
     */
    public HeadSpec(Target target, int frameOffset, Encoding encoding, LayerSpec layer) {
        int rows = encoding == Encoding.COS_SIN ? 2 : 1;
        if (layer.convRows() != rows
                || layer.kind() != LayerSpec.Kind.CONV
                || layer.activation() != LayerSpec.Activation.NONE
                || layer.skipFrom() >= 0) {
            throw new IllegalArgumentException(
                    "a " + encoding + " head needs a plain linear conv with " + rows + " output rows, got " + layer);
        }
        if ((target == Target.LOG_MAGNITUDE) != (encoding == Encoding.VALUE)) {
            throw new IllegalArgumentException("a " + target + " head cannot have encoding " + encoding
                    + " (VALUE goes with LOG_MAGNITUDE and only with it)");
        }
        int wantDelta = target == Target.DF ? -1 : 0;
        if (layer.lengthDelta() != wantDelta) {
            throw new IllegalArgumentException(
                    target + " head must change the length by " + wantDelta + ", got " + layer.lengthDelta());
        }
        if (frameOffset > 0) {
            throw new IllegalArgumentException("head frame offset must be <= 0, got " + frameOffset);
        }
        this.target = target;
        this.frameOffset = frameOffset;
        this.encoding = encoding;
        this.layer = layer;
    }

    /** {@return which derivative} */
    public Target target() {
        return target;
    }

    /** {@return which frame, relative to the newest} */
    public int frameOffset() {
        return frameOffset;
    }

    /** {@return how the rows encode the angle} */
    public Encoding encoding() {
        return encoding;
    }

    /** {@return the head's convolution} */
    public LayerSpec layer() {
        return layer;
    }

    @Override
    public String toString() {
        return target + "[t" + (frameOffset == 0 ? "" : String.valueOf(frameOffset)) + "] " + encoding + " " + layer;
    }
}
