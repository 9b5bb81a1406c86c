package dev.phasegrad.nn.runtime;

import dev.phasegrad.nn.HeadSpec;
import dev.phasegrad.nn.InputFeatures;
import dev.phasegrad.nn.LayerSpec;
import dev.phasegrad.nn.NetworkSpec;
import dev.phasegrad.nn.PhaseModel;
import java.nio.ByteBuffer;
import java.util.Arrays;
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
    private final float[][] pre; // gated pre-activations / head outputs
    private final ConvKernels.Taps taps;
    private final LayerSpec[] fusedHeads; // [network]: all heads as one convolution, or null
    private final float[][] fusedParams; // [network]: its weights then biases
    private final int[][] headRow; // [network][head]: first row of that head in the fused output
    private final float[][] dt; // [slot][bins], filled on demand from the heads' rows
    private final float[][] df; // [slot][bins-1]
    private final float[][] dtRows; // [2·slot + 0/1]: the Δt head's (cos, sin) rows, or [2·slot] its angle
    private final float[][] dfRows;
    private final HeadSpec.Encoding[] dtEncoding; // [slot]: fixed by the model's heads
    private final HeadSpec.Encoding[] dfEncoding;
    private final boolean[] anglesReady; // [slot]
    private final float[] unitC; // phasors' float scratch
    private final float[] unitS;
    private final float[] values; // the LOG_MAGNITUDE head's row (mel refiners)

    public ModelRunner(PhaseModel model) {
        this.model = model;
        this.params = ModelAccess.sharedParams(model);
        this.bins = model.config().bins();
        List<NetworkSpec> nets = model.networks();
        int maxRows = 2;
        int maxTaps = 1;
        for (NetworkSpec net : nets) {
            maxRows = Math.max(maxRows, net.maxChannels());
            maxTaps = Math.max(maxTaps, net.maxTaps());
        }
        this.fusedHeads = new LayerSpec[nets.size()];
        this.fusedParams = new float[nets.size()][];
        this.headRow = new int[nets.size()][];
        for (int n = 0; n < nets.size(); n++) {
            fuseHeads(n);
            if (fusedHeads[n] != null) {
                maxRows = Math.max(maxRows, fusedHeads[n].convRows());
                maxTaps = Math.max(maxTaps, fusedHeads[n].inChannels() * fusedHeads[n].kernel());
            }
        }
        this.pre = new float[maxRows][bins];
        this.taps = new ConvKernels.Taps(maxTaps, bins);
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
        this.dtRows = new float[2 * model.stride()][bins];
        this.dfRows = new float[2 * model.stride()][bins];
        this.dtEncoding = new HeadSpec.Encoding[model.stride()];
        this.dfEncoding = new HeadSpec.Encoding[model.stride()];
        for (NetworkSpec net : nets) {
            for (HeadSpec head : net.heads()) {
                int slot = head.frameOffset() + model.stride() - 1;
                switch (head.target()) {
                    case DT -> dtEncoding[slot] = head.encoding();
                    case DF -> dfEncoding[slot] = head.encoding();
                    default -> {}
                }
            }
        }
        this.anglesReady = new boolean[model.stride()];
        this.unitC = new float[bins];
        this.unitS = new float[bins];
        this.values = new float[bins];
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
            if (fusedHeads[n] != null) {
                ConvKernels.convolve(fusedHeads[n], fusedParams[n], 0, last, bins, pre, taps);
            }
            for (int h = 0; h < net.heads().size(); h++) {
                HeadSpec head = net.heads().get(h);
                LayerSpec l = head.layer();
                int row = 0;
                if (fusedHeads[n] != null) {
                    row = headRow[n][h];
                } else {
                    ConvKernels.convolve(l, params, model.headOffset(n, h), last, bins, pre, taps);
                }
                int len = l.outLength(bins);
                if (head.target() == HeadSpec.Target.LOG_MAGNITUDE) {
                    System.arraycopy(pre[row], 0, values, 0, len);
                    continue;
                }
                int slot = head.frameOffset() + model.stride() - 1;
                float[][] rows = head.target() == HeadSpec.Target.DT ? dtRows : dfRows;
                System.arraycopy(pre[row], 0, rows[2 * slot], 0, len);
                if (head.encoding() == HeadSpec.Encoding.COS_SIN) {
                    System.arraycopy(pre[row + 1], 0, rows[2 * slot + 1], 0, len);
                }
                anglesReady[slot] = false;
            }
            a[0] = null;
        }
    }

    /**
     * Packs all heads of network n into one convolution over the union of their tap offsets (missing
     * taps get zero weights), when they are plain dilation-1 convolutions. Why: each head has only 2
     * output rows, so its own pass spent as much on shifted copies of the 22 input rows as on
     * multiply-adds; fused, the copies are made once and the 2×5 kernel runs over 4–8 rows.
     * A head shorter than the fused output (the between-bins Δf head) ignores its last value.
     */
    private void fuseHeads(int n) {
        NetworkSpec net = model.networks().get(n);
        List<HeadSpec> heads = net.heads();
        int lo = Integer.MAX_VALUE;
        int hi = Integer.MIN_VALUE;
        int rows = 0;
        for (HeadSpec h : heads) {
            LayerSpec l = h.layer();
            if (l.kind() != LayerSpec.Kind.CONV
                    || l.dilation() != 1
                    || l.activation() != LayerSpec.Activation.NONE
                    || l.skipFrom() >= 0
                    || l.lengthDelta() > 0
                    || l.inChannels() != heads.get(0).layer().inChannels()) {
                return;
            }
            lo = Math.min(lo, -l.padLeft());
            hi = Math.max(hi, l.kernel() - 1 - l.padLeft());
            rows += l.convRows();
        }
        if (heads.size() < 2) {
            return;
        }
        int in = heads.get(0).layer().inChannels();
        int k = hi - lo + 1;
        LayerSpec fused = new LayerSpec(LayerSpec.Kind.CONV, in, rows, k, 1, -lo, 0, LayerSpec.Activation.NONE, -1);
        float[] p = new float[fused.paramCount()];
        int[] first = new int[heads.size()];
        int row = 0;
        for (int h = 0; h < heads.size(); h++) {
            LayerSpec l = heads.get(h).layer();
            int off = model.headOffset(n, h);
            int shift = -l.padLeft() - lo; // fused tap index of this head's tap 0
            first[h] = row;
            for (int o = 0; o < l.convRows(); o++, row++) {
                for (int c = 0; c < in; c++) {
                    for (int j = 0; j < l.kernel(); j++) {
                        p[(row * in + c) * k + j + shift] = params[off + (o * in + c) * l.kernel() + j];
                    }
                }
                p[fused.weightCount() + row] = params[off + l.weightCount() + o];
            }
        }
        fusedHeads[n] = fused;
        fusedParams[n] = p;
        headRow[n] = first;
    }

    /**
     * Bytes of {@link #saveState}: the heads' rows of the frames a run serves after the push that ran it
     * (slots 1 … stride − 1; none for a stride-1 model, whose results are used in the same push).
     */
    public int stateBytes() {
        int floats = 0;
        for (int slot = 1; slot < model.stride(); slot++) {
            floats += rowsOf(dtEncoding[slot]) * bins + rowsOf(dfEncoding[slot]) * (bins - 1);
        }
        return floats * Float.BYTES;
    }

    /** Writes the pending heads' rows (see {@link #stateBytes()}). Allocation-free. */
    public void saveState(ByteBuffer out) {
        for (int slot = 1; slot < model.stride(); slot++) {
            putRows(out, dtRows, slot, rowsOf(dtEncoding[slot]), bins);
            putRows(out, dfRows, slot, rowsOf(dfEncoding[slot]), bins - 1);
        }
    }

    /** Reads what {@link #saveState} wrote for the same model; angles are recomputed from the rows when asked for. */
    public void restoreState(ByteBuffer in) {
        for (int slot = 1; slot < model.stride(); slot++) {
            getRows(in, dtRows, slot, rowsOf(dtEncoding[slot]), bins);
            getRows(in, dfRows, slot, rowsOf(dfEncoding[slot]), bins - 1);
        }
        Arrays.fill(anglesReady, false);
    }

    private static int rowsOf(HeadSpec.Encoding enc) {
        return enc == HeadSpec.Encoding.COS_SIN ? 2 : 1;
    }

    private static void putRows(ByteBuffer out, float[][] rows, int slot, int count, int len) {
        for (int r = 0; r < count; r++) {
            float[] row = rows[2 * slot + r];
            for (int f = 0; f < len; f++) {
                out.putFloat(row[f]);
            }
        }
    }

    private static void getRows(ByteBuffer in, float[][] rows, int slot, int count, int len) {
        for (int r = 0; r < count; r++) {
            float[] row = rows[2 * slot + r];
            for (int f = 0; f < len; f++) {
                row[f] = in.getFloat();
            }
        }
    }

    /**
     * A mel refiner's output after {@link #run}: the log-magnitude correction per bin (K values; the
     * runner's own buffer, overwritten by the next run).
     */
    public float[] values() {
        return values;
    }

    /** Δt of the frame at offset {@code slot − (stride − 1)} from the newest input frame (radians). */
    public float[] dt(int slot) {
        angles(slot);
        return dt[slot];
    }

    /** Δf of the frame at offset {@code slot − (stride − 1)} from the newest input frame (radians). */
    public float[] df(int slot) {
        angles(slot);
        return df[slot];
    }

    /**
     * Δt and Δf of that frame as unit phasors: the (cos, sin) heads' outputs divided by their modulus,
     * without ever forming the angle. A pair of modulus 0 (or not finite) gives a non-finite phasor,
     * which the LS integration reads as a missing derivative, as it does a NaN angle. Normalised in
     * float, like the heads' outputs themselves (modulus 1 within 1e-6); pairs of modulus below ~1e-19,
     * far below anything a trained head outputs, may come out non-finite too.
     */
    public void phasors(int slot, double[] dtCos, double[] dtSin, double[] dfCos, double[] dfSin) {
        unit(dtRows, dtEncoding[slot], slot, bins, dtCos, dtSin, unitC, unitS);
        unit(dfRows, dfEncoding[slot], slot, bins - 1, dfCos, dfSin, unitC, unitS);
    }

    private static void unit(
            float[][] rows, HeadSpec.Encoding enc, int slot, int len, double[] c, double[] s, float[] tc, float[] ts) {
        float[] a = rows[2 * slot];
        if (enc == HeadSpec.Encoding.COS_SIN) {
            float[] b = rows[2 * slot + 1];
            // float sqrt and division, then widening in separate loops: each vectorises, 0.7 µs per 513
            // pairs; the same in double in one loop ran scalar at 2.3 µs
            for (int f = 0; f < len; f++) {
                float x = a[f];
                float y = b[f];
                float inv = 1f / (float) Math.sqrt(x * x + y * y);
                tc[f] = x * inv;
                ts[f] = y * inv;
            }
            for (int f = 0; f < len; f++) {
                c[f] = tc[f];
            }
            for (int f = 0; f < len; f++) {
                s[f] = ts[f];
            }
        } else {
            for (int f = 0; f < len; f++) {
                double th = Angles.wrap(a[f]);
                c[f] = Math.cos(th);
                s[f] = Math.sin(th);
            }
        }
    }

    private void angles(int slot) {
        if (anglesReady[slot]) {
            return;
        }
        angle(dtRows, dtEncoding[slot], slot, bins, dt[slot]);
        angle(dfRows, dfEncoding[slot], slot, bins - 1, df[slot]);
        anglesReady[slot] = true;
    }

    private static void angle(float[][] rows, HeadSpec.Encoding enc, int slot, int len, float[] dst) {
        if (enc == HeadSpec.Encoding.COS_SIN) {
            Angles.atan2(rows[2 * slot + 1], rows[2 * slot], dst, len);
        } else {
            float[] th = rows[2 * slot];
            for (int f = 0; f < len; f++) {
                dst[f] = Angles.wrap(th[f]);
            }
        }
    }
}
