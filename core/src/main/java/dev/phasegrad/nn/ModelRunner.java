package dev.phasegrad.nn;

import java.util.List;

/**
 * Per-stream scratch and forward pass of a {@link PhaseModel}: input rows in, wrapped phase
 * derivatives out. Allocation-free after construction; not thread safe (one per stream or thread),
 * while the model itself is shared.
 */
public final class ModelRunner {
    private final PhaseModel model;
    private final float[] params;
    private final int bins;
    private final float[][][][] actRows; // [network][activation][channel][bin]; activation 0 = caller's input
    private final float[][] pre;         // gated pre-activations / head outputs
    private final float[][] taps;
    private final float[][] dt;          // [slot][bins]
    private final float[][] df;          // [slot][bins-1]

    public ModelRunner(PhaseModel model) {
        this.model = model;
        this.params = model.paramsShared();
        this.bins = model.config().bins();
        List<NetworkSpec> nets = model.networks();
        int maxRows = 2;
        int maxTaps = 1;
        for (NetworkSpec net : nets) {
            maxRows = Math.max(maxRows, net.maxChannels());
            maxTaps = Math.max(maxTaps, net.maxTaps());
        }
        this.pre = new float[maxRows][bins];
        this.taps = new float[maxTaps][bins];
        this.actRows = new float[nets.size()][][][];
        for (int n = 0; n < nets.size(); n++) {
            NetworkSpec net = nets.get(n);
            actRows[n] = new float[net.trunk().size() + 1][][];
            for (int i = 1; i <= net.trunk().size(); i++) {
                actRows[n][i] = new float[net.channels(i)][bins];
            }
        }
        this.dt = new float[model.stride()][bins];
        this.df = new float[model.stride()][bins - 1];
    }

    public PhaseModel model() {
        return model;
    }

    /**
     * Runs every network on {@code input} ({@link PhaseModel#inputFrames()} rows of K values, already
     * normalised by {@link InputFeatures#inputRows}). Results: {@link #dt(int)} / {@link #df(int)}.
     */
    public void run(float[][] input) {
        List<NetworkSpec> nets = model.networks();
        for (int n = 0; n < nets.size(); n++) {
            NetworkSpec net = nets.get(n);
            float[][][] a = actRows[n];
            a[0] = input;
            for (int i = 0; i < net.trunk().size(); i++) {
                LayerSpec l = net.trunk().get(i);
                float[][] out = a[i + 1];
                int off = model.trunkOffset(n, i);
                float[][] skip = l.skipFrom() >= 0 ? a[l.skipFrom()] : null;
                if (l.kind() == LayerSpec.Kind.GATED_CONV) {
                    ConvKernels.convolve(l, params, off, a[i], bins, pre, taps);
                    int c = l.outChannels();
                    for (int o = 0; o < c; o++) {
                        ConvKernels.gate(pre[o], pre[c + o], out[o], bins);
                    }
                    if (skip != null) {
                        for (int o = 0; o < c; o++) {
                            ConvKernels.add(out[o], skip[o], bins);
                        }
                    }
                } else {
                    ConvKernels.convolve(l, params, off, a[i], bins, out, taps);
                    boolean relu = l.activation() == LayerSpec.Activation.RELU;
                    for (int o = 0; o < out.length; o++) {
                        // one pass over the row instead of two when both apply
                        if (relu && skip != null) {
                            ConvKernels.reluAdd(out[o], skip[o], bins);
                        } else if (relu) {
                            ConvKernels.relu(out[o], bins);
                        } else if (skip != null) {
                            ConvKernels.add(out[o], skip[o], bins);
                        }
                    }
                }
            }
            float[][] last = a[net.trunk().size()];
            for (int h = 0; h < net.heads().size(); h++) {
                HeadSpec head = net.heads().get(h);
                LayerSpec l = head.layer();
                ConvKernels.convolve(l, params, model.headOffset(n, h), last, bins, pre, taps);
                int slot = head.frameOffset() + model.stride() - 1;
                float[] dst = head.target() == HeadSpec.Target.DT ? dt[slot] : df[slot];
                int len = l.outLength(bins);
                if (head.encoding() == HeadSpec.Encoding.COS_SIN) {
                    Angles.atan2(pre[1], pre[0], dst, len);
                } else {
                    float[] th = pre[0];
                    for (int f = 0; f < len; f++) {
                        dst[f] = Angles.wrap(th[f]);
                    }
                }
            }
            a[0] = null;
        }
    }

    /** Δt of the frame at offset {@code slot − (stride − 1)} from the newest input frame. */
    public float[] dt(int slot) {
        return dt[slot];
    }

    /** Δf of the frame at offset {@code slot − (stride − 1)} from the newest input frame. */
    public float[] df(int slot) {
        return df[slot];
    }
}
