package dev.phasegrad.nn;

/**
 * One 1-D convolution along the frequency axis, with its activation and an optional residual input.
 *
 * <p>Input: {@code inChannels} rows of L values. Output: {@code outChannels} rows of
 * {@code L + lengthDelta} values, {@code y[o][f] = b[o] + Σ_c Σ_j w[o][c][j] · x[c][f + j·dilation − padLeft]}
 * (zero outside the input). A {@link Kind#GATED_CONV} computes 2·outChannels such rows, value and
 * gate, and outputs {@code value · sigmoid(gate)}. When {@code skipFrom ≥ 0} the activation with that
 * index (0 = network input, i = output of trunk layer i−1) is added after the activation.
 * Parameters are stored weights first ({@code [row][inChannel][tap]}), then one bias per row.
 * Immutable.
 */
public final class LayerSpec {
    /** Layer operation. */
    public enum Kind { CONV, GATED_CONV }

    /** Point-wise non-linearity after a {@link Kind#CONV}; gated layers ignore it. */
    public enum Activation { NONE, RELU }

    private final Kind kind;
    private final int inChannels;
    private final int outChannels;
    private final int kernel;
    private final int dilation;
    private final int padLeft;
    private final int lengthDelta;
    private final Activation activation;
    private final int skipFrom;

    public LayerSpec(Kind kind, int inChannels, int outChannels, int kernel, int dilation, int padLeft,
                     int lengthDelta, Activation activation, int skipFrom) {
        if (inChannels < 1 || outChannels < 1 || kernel < 1 || dilation < 1) {
            throw new IllegalArgumentException("layer sizes must be positive: in " + inChannels + ", out "
                    + outChannels + ", kernel " + kernel + ", dilation " + dilation);
        }
        int span = dilation * (kernel - 1);
        if (padLeft < 0 || span - padLeft + lengthDelta < 0) {
            throw new IllegalArgumentException("padding " + padLeft + " and length change " + lengthDelta
                    + " do not fit a kernel span of " + span);
        }
        this.kind = kind;
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.dilation = dilation;
        this.padLeft = padLeft;
        this.lengthDelta = lengthDelta;
        this.activation = activation;
        this.skipFrom = skipFrom;
    }

    /** Same-length ("same" padding) convolution with an odd kernel. */
    public static LayerSpec conv(int in, int out, int kernel, int dilation, Activation act, int skipFrom) {
        return new LayerSpec(Kind.CONV, in, out, kernel, dilation, dilation * (kernel - 1) / 2, 0, act, skipFrom);
    }

    /** Same-length gated convolution with an odd kernel. */
    public static LayerSpec gated(int in, int out, int kernel, int dilation, int skipFrom) {
        return new LayerSpec(Kind.GATED_CONV, in, out, kernel, dilation, dilation * (kernel - 1) / 2, 0,
                Activation.NONE, skipFrom);
    }

    /**
     * Convolution whose output sits between neighbouring input positions: output f is centred on
     * f + ½, output length L − 1 (used for the frequency-direction derivative). Even kernel.
     */
    public static LayerSpec between(int in, int out, int kernel) {
        if (kernel % 2 != 0) {
            throw new IllegalArgumentException("a between-bins kernel must be even, got " + kernel);
        }
        return new LayerSpec(Kind.CONV, in, out, kernel, 1, kernel / 2 - 1, -1, Activation.NONE, -1);
    }

    public Kind kind() {
        return kind;
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    /** Rows the convolution itself computes: outChannels, or 2·outChannels for a gated layer. */
    public int convRows() {
        return kind == Kind.GATED_CONV ? 2 * outChannels : outChannels;
    }

    public int kernel() {
        return kernel;
    }

    public int dilation() {
        return dilation;
    }

    public int padLeft() {
        return padLeft;
    }

    public int lengthDelta() {
        return lengthDelta;
    }

    public Activation activation() {
        return activation;
    }

    public int skipFrom() {
        return skipFrom;
    }

    public int outLength(int inLength) {
        return inLength + lengthDelta;
    }

    public int weightCount() {
        return convRows() * inChannels * kernel;
    }

    public int paramCount() {
        return weightCount() + convRows();
    }

    /** Multiply-accumulates of one forward pass over an input of the given length (taps at the edge counted). */
    public long macs(int inLength) {
        return (long) weightCount() * outLength(inLength);
    }

    @Override
    public String toString() {
        return kind + "(" + inChannels + "→" + outChannels + ", k=" + kernel
                + (dilation > 1 ? ", d=" + dilation : "") + (lengthDelta != 0 ? ", len" + lengthDelta : "")
                + (kind == Kind.CONV && activation != Activation.NONE ? ", " + activation : "")
                + (skipFrom >= 0 ? ", +a" + skipFrom : "") + ")";
    }
}
