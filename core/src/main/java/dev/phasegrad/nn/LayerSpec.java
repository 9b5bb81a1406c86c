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
    public enum Kind {
        /** A convolution. */
        CONV,
        /** A convolution of twice the rows, value times sigmoid(gate). */
        GATED_CONV
    }

    /** Point-wise non-linearity after a {@link Kind#CONV}; gated layers ignore it. */
    public enum Activation {
        /** Linear. */
        NONE,
        /** max(0, x). */
        RELU
    }

    private final Kind kind;
    private final int inChannels;
    private final int outChannels;
    private final int kernel;
    private final int dilation;
    private final int padLeft;
    private final int lengthDelta;
    private final Activation activation;
    private final int skipFrom;

    /**
     * @param kind        the operation
     * @param inChannels  input rows
     * @param outChannels output rows (for a gated layer: after gating)
     * @param kernel      taps
     * @param dilation    spacing of the taps
     * @param padLeft     zeros before the input
     * @param lengthDelta output length minus input length
     * @param activation  non-linearity after a plain convolution
     * @param skipFrom    index of the activation added to the output, or −1 for none
     * @throws IllegalArgumentException if a size is not positive or padding and length change do not fit the kernel
     */
    public LayerSpec(
            Kind kind,
            int inChannels,
            int outChannels,
            int kernel,
            int dilation,
            int padLeft,
            int lengthDelta,
            Activation activation,
            int skipFrom) {
        if (inChannels < 1 || outChannels < 1 || kernel < 1 || dilation < 1) {
            throw new IllegalArgumentException("layer sizes must be positive: in " + inChannels + ", out " + outChannels
                    + ", kernel " + kernel + ", dilation " + dilation);
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

    /**
     * Same-length ("same" padding) convolution with an odd kernel.
     *
     * @param in       input rows
     * @param out      output rows
     * @param kernel   taps, odd
     * @param dilation spacing of the taps
     * @param act      non-linearity
     * @param skipFrom index of the activation added to the output, or −1
     * @return the layer
     */
    public static LayerSpec conv(int in, int out, int kernel, int dilation, Activation act, int skipFrom) {
        return new LayerSpec(Kind.CONV, in, out, kernel, dilation, dilation * (kernel - 1) / 2, 0, act, skipFrom);
    }

    /**
     * Same-length gated convolution with an odd kernel.
     *
     * @param in       input rows
     * @param out      output rows after gating
     * @param kernel   taps, odd
     * @param dilation spacing of the taps
     * @param skipFrom index of the activation added to the output, or −1
     * @return the layer
     */
    public static LayerSpec gated(int in, int out, int kernel, int dilation, int skipFrom) {
        return new LayerSpec(
                Kind.GATED_CONV, in, out, kernel, dilation, dilation * (kernel - 1) / 2, 0, Activation.NONE, skipFrom);
    }

    /**
     * Convolution whose output sits between neighbouring input positions: output f is centred on
     * f + ½, output length L − 1 (used for the frequency-direction derivative). Even kernel.
     *
     * @param in     input rows
     * @param out    output rows
     * @param kernel taps, even
     * @return the layer
     * @throws IllegalArgumentException for an odd kernel
     */
    public static LayerSpec between(int in, int out, int kernel) {
        if (kernel % 2 != 0) {
            throw new IllegalArgumentException("a between-bins kernel must be even, got " + kernel);
        }
        return new LayerSpec(Kind.CONV, in, out, kernel, 1, kernel / 2 - 1, -1, Activation.NONE, -1);
    }

    /** {@return the operation} */
    public Kind kind() {
        return kind;
    }

    /** {@return the input rows} */
    public int inChannels() {
        return inChannels;
    }

    /** {@return the output rows} */
    public int outChannels() {
        return outChannels;
    }

    /** {@return the rows the convolution itself computes: outChannels, or 2·outChannels for a gated layer} */
    public int convRows() {
        return kind == Kind.GATED_CONV ? 2 * outChannels : outChannels;
    }

    /** {@return the taps} */
    public int kernel() {
        return kernel;
    }

    /** {@return the spacing of the taps} */
    public int dilation() {
        return dilation;
    }

    /** {@return the zeros before the input} */
    public int padLeft() {
        return padLeft;
    }

    /** {@return the output length minus the input length} */
    public int lengthDelta() {
        return lengthDelta;
    }

    /** {@return the non-linearity after a plain convolution} */
    public Activation activation() {
        return activation;
    }

    /** {@return the index of the activation added to the output, or −1} */
    public int skipFrom() {
        return skipFrom;
    }

    /**
     * @param inLength input length
     * @return the output length
     */
    public int outLength(int inLength) {
        return inLength + lengthDelta;
    }

    /** {@return the number of weights, convRows · inChannels · kernel} */
    public int weightCount() {
        return convRows() * inChannels * kernel;
    }

    /** {@return the number of parameters: weights, then one bias per computed row} */
    public int paramCount() {
        return weightCount() + convRows();
    }

    /**
     * Multiply-accumulates of one forward pass over an input of the given length (taps at the edge counted).
     *
     * @param inLength input length
     * @return the multiply-accumulates
     */
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
