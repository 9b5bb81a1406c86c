package dev.phasegrad.train;

import dev.phasegrad.nn.HeadSpec;
import dev.phasegrad.nn.LayerSpec;
import dev.phasegrad.nn.NetworkSpec;
import dev.phasegrad.nn.PhaseModel;
import dev.phasegrad.nn.runtime.ConvKernels;
import java.util.Arrays;
import java.util.List;

/**
 * Forward pass with stored activations, magnitude-weighted cosine loss and backward pass for one
 * training example through every network of a model architecture. One per thread; the parameters
 * are passed per call so all threads share them read-only.
 *
 * <p>Loss of one head: {@code −Σ_k w_k cos(θ_k − τ_k) · norm}, θ the predicted angle (atan2 of the
 * (cos, sin) rows, or the raw row for angle heads), τ the true derivative, w the magnitude weight and
 * norm = 1 / (sum of that target's weights over the batch), so a batch's Δt and Δf losses each lie
 * in [−1, 1]. Loss of a {@link HeadSpec.Target#LOG_MAGNITUDE} head (mel refiner):
 * {@code Σ_k w_k ρ(δ_k − τ_k) · norm} with ρ the {@link MagnitudeLoss}, norm = 1 / (sum of the
 * weights over the batch), passed as {@code normDt}.
 */
public final class Workspace {
    private static final float EPS = 1e-6f;

    private final PhaseModel arch;
    private final MagnitudeLoss magnitudeLoss;
    private final int bins;
    private final float[][][][] acts; // [net][activation][ch][bin]
    private final float[][][][] pre; // [net][layer][row][bin]
    private final float[][][][] headOut; // [net][head][row][bin]
    private final float[][][][] dActs;
    private final float[][] dz;
    private final float[] s;
    private final ConvKernels.Taps taps;
    private final float[] ds;
    /**
     * Σ w·cos and Σ w over examples since the last {@link #clearStats()}, for Δt and Δf; for a mel
     * refiner sumCosDt is Σ −w·ρ (a score, higher is better) and sumWDt Σ w.
     */
    double sumCosDt;

    double sumCosDf;
    double sumWDt;
    double sumWDf;

    public Workspace(PhaseModel arch) {
        this(arch, new TrainConfig().magnitudeLoss);
    }

    /** @param magnitudeLoss loss of a LOG_MAGNITUDE head (unused by phase models) */
    public Workspace(PhaseModel arch, MagnitudeLoss magnitudeLoss) {
        this.arch = arch;
        this.magnitudeLoss = magnitudeLoss;
        this.bins = arch.config().bins();
        List<NetworkSpec> nets = arch.networks();
        acts = new float[nets.size()][][][];
        pre = new float[nets.size()][][][];
        headOut = new float[nets.size()][][][];
        dActs = new float[nets.size()][][][];
        int maxRows = 2;
        int maxTaps = 1;
        for (int n = 0; n < nets.size(); n++) {
            NetworkSpec net = nets.get(n);
            int layers = net.trunk().size();
            acts[n] = new float[layers + 1][][];
            dActs[n] = new float[layers + 1][][];
            pre[n] = new float[layers][][];
            for (int i = 0; i <= layers; i++) {
                if (i > 0) {
                    acts[n][i] = new float[net.channels(i)][bins];
                }
                dActs[n][i] = new float[net.channels(i)][bins];
            }
            for (int i = 0; i < layers; i++) {
                pre[n][i] = new float[net.trunk().get(i).convRows()][bins];
            }
            headOut[n] = new float[net.heads().size()][][];
            for (int h = 0; h < net.heads().size(); h++) {
                headOut[n][h] = new float[net.heads().get(h).layer().convRows()][bins];
            }
            maxRows = Math.max(maxRows, net.maxChannels());
            maxTaps = Math.max(maxTaps, net.maxTaps());
        }
        taps = new ConvKernels.Taps(maxTaps, bins);
        dz = new float[maxRows][bins];
        s = new float[bins];
        ds = new float[bins];
    }

    public void clearStats() {
        sumCosDt = 0;
        sumCosDf = 0;
        sumWDt = 0;
        sumWDf = 0;
    }

    /**
     * Forward pass, loss, and (when {@code grad} is non-null) backward pass for one example,
     * accumulating into {@code grad}.
     *
     * @param input   input rows (inputFrames × K), normalised as at inference
     * @param ex      targets and weights of the example
     * @param normDt  1 / (sum of Δt weights over the batch)
     * @param normDf  1 / (sum of Δf weights over the batch)
     * @return this example's contribution to the batch loss
     */
    public double step(float[] params, float[][] input, Example ex, float normDt, float normDf, float[] grad) {
        double loss = 0;
        List<NetworkSpec> nets = arch.networks();
        for (int n = 0; n < nets.size(); n++) {
            NetworkSpec net = nets.get(n);
            forward(n, net, params, input);
            int layers = net.trunk().size();
            if (grad != null) {
                for (int i = 0; i <= layers; i++) {
                    for (float[] row : dActs[n][i]) {
                        Arrays.fill(row, 0f);
                    }
                }
            }
            float[][] last = acts[n][layers];
            for (int h = 0; h < net.heads().size(); h++) {
                HeadSpec head = net.heads().get(h);
                if (head.target() == HeadSpec.Target.LOG_MAGNITUDE) {
                    loss += magnitudeHead(headOut[n][h][0], ex, normDt, grad != null);
                    if (grad != null) {
                        ConvGrad.backward(
                                head.layer(),
                                params,
                                arch.headOffset(n, h),
                                last,
                                bins,
                                dz,
                                grad,
                                dActs[n][layers],
                                s,
                                ds);
                    }
                    continue;
                }
                int slot = head.frameOffset() + arch.stride() - 1;
                boolean isDt = head.target() == HeadSpec.Target.DT;
                float[] tc = isDt ? ex.cdt[slot] : ex.cdf[slot];
                float[] ts = isDt ? ex.sdt[slot] : ex.sdf[slot];
                float[] w = isDt ? ex.wdt[slot] : ex.wdf[slot];
                float norm = isDt ? normDt : normDf;
                int len = head.layer().outLength(bins);
                float[][] out = headOut[n][h];
                double sc = 0;
                double sw = 0;
                if (head.encoding() == HeadSpec.Encoding.COS_SIN) {
                    float[] zc = out[0];
                    float[] zs = out[1];
                    float[] gc = dz[0];
                    float[] gs = dz[1];
                    for (int f = 0; f < len; f++) {
                        float wf = w[f];
                        float ec = tc[f];
                        float es = ts[f];
                        float r2 = zc[f] * zc[f] + zs[f] * zs[f] + EPS;
                        float inv = (float) (1.0 / Math.sqrt(r2));
                        float dot = ec * zc[f] + es * zs[f];
                        float cos = dot * inv;
                        sc += wf * cos;
                        sw += wf;
                        // d cos / dz = e / r − (e·z) z / r³
                        float k3 = dot * inv * inv * inv;
                        float g = -wf * norm;
                        gc[f] = g * (ec * inv - k3 * zc[f]);
                        gs[f] = g * (es * inv - k3 * zs[f]);
                    }
                } else {
                    float[] th = out[0];
                    float[] g0 = dz[0];
                    for (int f = 0; f < len; f++) {
                        float wf = w[f];
                        double ct = Math.cos(th[f]);
                        double st = Math.sin(th[f]);
                        sc += wf * (ct * tc[f] + st * ts[f]);
                        sw += wf;
                        // d(−cos(θ − τ))/dθ = sin(θ − τ)
                        g0[f] = (float) (wf * norm * (st * tc[f] - ct * ts[f]));
                    }
                }
                loss -= sc * norm;
                if (isDt) {
                    sumCosDt += sc;
                    sumWDt += sw;
                } else {
                    sumCosDf += sc;
                    sumWDf += sw;
                }
                if (grad != null) {
                    ConvGrad.backward(
                            head.layer(), params, arch.headOffset(n, h), last, bins, dz, grad, dActs[n][layers], s, ds);
                }
            }
            if (grad != null) {
                backwardTrunk(n, net, params, grad);
            }
        }
        return loss;
    }

    /** Loss of a LOG_MAGNITUDE head's output {@code delta}; its gradient into dz[0] when asked. */
    private double magnitudeHead(float[] delta, Example ex, float norm, boolean wantGrad) {
        float[] tau = ex.logResidual;
        float[] w = ex.magnitudeWeight;
        float[] g = dz[0];
        double sum = 0;
        double sw = 0;
        for (int k = 0; k < bins; k++) {
            float e = delta[k] - tau[k];
            sum += w[k] * magnitudeLoss.value(e);
            sw += w[k];
            if (wantGrad) {
                g[k] = w[k] * norm * magnitudeLoss.slope(e);
            }
        }
        sumCosDt -= sum;
        sumWDt += sw;
        return sum * norm;
    }

    private void forward(int n, NetworkSpec net, float[] params, float[][] input) {
        float[][][] a = acts[n];
        a[0] = input;
        for (int i = 0; i < net.trunk().size(); i++) {
            LayerSpec l = net.trunk().get(i);
            float[][] z = pre[n][i];
            float[][] out = a[i + 1];
            ConvKernels.convolve(l, params, arch.trunkOffset(n, i), a[i], bins, z, taps);
            if (l.kind() == LayerSpec.Kind.GATED_CONV) {
                int c = l.outChannels();
                for (int o = 0; o < c; o++) {
                    ConvKernels.gate(z[o], z[c + o], out[o], bins);
                }
            } else {
                for (int o = 0; o < out.length; o++) {
                    System.arraycopy(z[o], 0, out[o], 0, bins);
                    if (l.activation() == LayerSpec.Activation.RELU) {
                        ConvKernels.relu(out[o], bins);
                    }
                }
            }
            if (l.skipFrom() >= 0) {
                float[][] sk = a[l.skipFrom()];
                for (int o = 0; o < out.length; o++) {
                    ConvKernels.add(out[o], sk[o], bins);
                }
            }
        }
        float[][] last = a[net.trunk().size()];
        for (int h = 0; h < net.heads().size(); h++) {
            ConvKernels.convolve(
                    net.heads().get(h).layer(), params, arch.headOffset(n, h), last, bins, headOut[n][h], taps);
        }
    }

    private void backwardTrunk(int n, NetworkSpec net, float[] params, float[] grad) {
        float[][][] a = acts[n];
        float[][][] da = dActs[n];
        for (int i = net.trunk().size() - 1; i >= 0; i--) {
            LayerSpec l = net.trunk().get(i);
            float[][] dOut = da[i + 1];
            if (l.skipFrom() >= 0) {
                float[][] dSkip = da[l.skipFrom()];
                for (int o = 0; o < dOut.length; o++) {
                    ConvKernels.add(dSkip[o], dOut[o], bins);
                }
            }
            float[][] z = pre[n][i];
            if (l.kind() == LayerSpec.Kind.GATED_CONV) {
                int c = l.outChannels();
                for (int o = 0; o < c; o++) {
                    float[] v = z[o];
                    float[] g = z[c + o];
                    float[] d = dOut[o];
                    float[] dv = dz[o];
                    float[] dg = dz[c + o];
                    for (int f = 0; f < bins; f++) {
                        float sig = 1f / (1f + (float) Math.exp(-g[f]));
                        dv[f] = d[f] * sig;
                        dg[f] = d[f] * v[f] * sig * (1f - sig);
                    }
                }
            } else if (l.activation() == LayerSpec.Activation.RELU) {
                for (int o = 0; o < dOut.length; o++) {
                    float[] zz = z[o];
                    float[] d = dOut[o];
                    float[] g = dz[o];
                    for (int f = 0; f < bins; f++) {
                        g[f] = zz[f] > 0f ? d[f] : 0f;
                    }
                }
            } else {
                for (int o = 0; o < dOut.length; o++) {
                    System.arraycopy(dOut[o], 0, dz[o], 0, bins);
                }
            }
            ConvGrad.backward(l, params, arch.trunkOffset(n, i), a[i], bins, dz, grad, i > 0 ? da[i] : null, s, ds);
        }
    }
}
