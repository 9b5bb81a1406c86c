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
    /** Which derivative (definitions of {@link dev.phasegrad.derivatives.PhaseDerivatives}). */
    public enum Target { DT, DF, LOG_MAGNITUDE }

    /** How the head's rows are read; the file format stores the ordinal, so new values go last. */
    public enum Encoding { COS_SIN, ANGLE, VALUE }

    private final Target target;
    private final int frameOffset;
    private final Encoding encoding;
    private final LayerSpec layer;

    public HeadSpec(Target target, int frameOffset, Encoding encoding, LayerSpec layer) {
        int rows = encoding == Encoding.COS_SIN ? 2 : 1;
        if (layer.convRows() != rows || layer.kind() != LayerSpec.Kind.CONV
                || layer.activation() != LayerSpec.Activation.NONE || layer.skipFrom() >= 0) {
            throw new IllegalArgumentException("a " + encoding + " head needs a plain linear conv with " + rows
                    + " output rows, got " + layer);
        }
        if ((target == Target.LOG_MAGNITUDE) != (encoding == Encoding.VALUE)) {
            throw new IllegalArgumentException("a " + target + " head cannot have encoding " + encoding
                    + " (VALUE goes with LOG_MAGNITUDE and only with it)");
        }
        int wantDelta = target == Target.DF ? -1 : 0;
        if (layer.lengthDelta() != wantDelta) {
            throw new IllegalArgumentException(target + " head must change the length by " + wantDelta + ", got "
                    + layer.lengthDelta());
        }
        if (frameOffset > 0) {
            throw new IllegalArgumentException("head frame offset must be <= 0, got " + frameOffset);
        }
        this.target = target;
        this.frameOffset = frameOffset;
        this.encoding = encoding;
        this.layer = layer;
    }

    public Target target() {
        return target;
    }

    public int frameOffset() {
        return frameOffset;
    }

    public Encoding encoding() {
        return encoding;
    }

    public LayerSpec layer() {
        return layer;
    }

    @Override
    public String toString() {
        return target + "[t" + (frameOffset == 0 ? "" : String.valueOf(frameOffset)) + "] " + encoding + " " + layer;
    }
}
