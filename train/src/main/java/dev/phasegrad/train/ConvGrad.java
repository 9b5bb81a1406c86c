package dev.phasegrad.train;

import dev.phasegrad.nn.LayerSpec;
import dev.phasegrad.nn.runtime.ConvKernels;
import java.util.Arrays;

/**
 * Backward pass of the linear part of a {@link LayerSpec} (the forward is
 * {@link ConvKernels#convolve}). Accumulates (+=) into the parameter gradient and, when given, into
 * the input gradient. Stateless; callers pass their own scratch rows.
 */
public final class ConvGrad {
    private ConvGrad() {}

    /**
     * @param x    layer input rows (inChannels × inLen)
     * @param dz   gradient of the layer's convolution output rows (convRows × outLen)
     * @param grad parameter gradient, same layout as the parameters, layer block at {@code off}
     * @param dx   input gradient rows to accumulate into, or null when not needed
     * @param s    scratch row ≥ outLen
     * @param ds   scratch row ≥ outLen
     */
    public static void backward(
            LayerSpec l,
            float[] params,
            int off,
            float[][] x,
            int inLen,
            float[][] dz,
            float[] grad,
            float[][] dx,
            float[] s,
            float[] ds) {
        int rows = l.convRows();
        int inCh = l.inChannels();
        int k = l.kernel();
        int d = l.dilation();
        int pad = l.padLeft();
        int outLen = l.outLength(inLen);
        int bOff = off + l.weightCount();
        for (int r = 0; r < rows; r++) {
            grad[bOff + r] += sum(dz[r], outLen);
        }
        int rowStride = inCh * k;
        for (int c = 0; c < inCh; c++) {
            for (int j = 0; j < k; j++) {
                int o = j * d - pad;
                ConvKernels.shiftRow(x[c], inLen, o, s, outLen);
                int wi = off + c * k + j;
                int r = 0;
                for (; r + 3 < rows; r += 4) {
                    float[] g0 = dz[r];
                    float[] g1 = dz[r + 1];
                    float[] g2 = dz[r + 2];
                    float[] g3 = dz[r + 3];
                    float a0 = 0;
                    float a1 = 0;
                    float a2 = 0;
                    float a3 = 0;
                    for (int f = 0; f < outLen; f++) {
                        float v = s[f];
                        a0 += g0[f] * v;
                        a1 += g1[f] * v;
                        a2 += g2[f] * v;
                        a3 += g3[f] * v;
                    }
                    grad[wi + r * rowStride] += a0;
                    grad[wi + (r + 1) * rowStride] += a1;
                    grad[wi + (r + 2) * rowStride] += a2;
                    grad[wi + (r + 3) * rowStride] += a3;
                }
                for (; r < rows; r++) {
                    float[] g0 = dz[r];
                    float a0 = 0;
                    for (int f = 0; f < outLen; f++) {
                        a0 += g0[f] * s[f];
                    }
                    grad[wi + r * rowStride] += a0;
                }
                if (dx == null) {
                    continue;
                }
                Arrays.fill(ds, 0, outLen, 0f);
                r = 0;
                for (; r + 3 < rows; r += 4) {
                    float w0 = params[wi + r * rowStride];
                    float w1 = params[wi + (r + 1) * rowStride];
                    float w2 = params[wi + (r + 2) * rowStride];
                    float w3 = params[wi + (r + 3) * rowStride];
                    float[] g0 = dz[r];
                    float[] g1 = dz[r + 1];
                    float[] g2 = dz[r + 2];
                    float[] g3 = dz[r + 3];
                    for (int f = 0; f < outLen; f++) {
                        ds[f] += w0 * g0[f] + w1 * g1[f] + w2 * g2[f] + w3 * g3[f];
                    }
                }
                for (; r < rows; r++) {
                    float w0 = params[wi + r * rowStride];
                    float[] g0 = dz[r];
                    for (int f = 0; f < outLen; f++) {
                        ds[f] += w0 * g0[f];
                    }
                }
                // dx[c][f + o] += ds[f] where 0 <= f + o < inLen
                float[] xc = dx[c];
                int lo = Math.max(0, -o);
                int hi = Math.min(outLen, inLen - o);
                for (int f = lo; f < hi; f++) {
                    xc[f + o] += ds[f];
                }
            }
        }
    }

    private static float sum(float[] a, int n) {
        float s = 0;
        for (int i = 0; i < n; i++) {
            s += a[i];
        }
        return s;
    }
}
