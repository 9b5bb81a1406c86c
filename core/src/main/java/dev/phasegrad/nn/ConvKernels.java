package dev.phasegrad.nn;

import java.util.Arrays;

/**
 * Forward kernels of {@link LayerSpec}, shared by inference and training. Every hot inner loop reads
 * and writes its arrays at the same index ({@code y[f] += w * s[f]}): the input row is first copied,
 * shifted for the kernel tap, into a scratch row, because HotSpot's vectoriser gives up on loops
 * that read two arrays at different offsets. Four output rows share each loaded input value.
 * Stateless; thread safe as long as callers pass their own buffers.
 */
public final class ConvKernels {
    private ConvKernels() {
    }

    /** {@code s[f] = x[f + offset]} for f in [0, outLen), zero where f + offset falls outside [0, inLen). */
    public static void shiftRow(float[] x, int inLen, int offset, float[] s, int outLen) {
        int lo = Math.min(outLen, Math.max(0, -offset));
        int hi = Math.max(lo, Math.min(outLen, inLen - offset));
        if (lo > 0) {
            Arrays.fill(s, 0, lo, 0f);
        }
        if (hi > lo) {
            System.arraycopy(x, lo + offset, s, lo, hi - lo);
        }
        if (hi < outLen) {
            Arrays.fill(s, hi, outLen, 0f);
        }
    }

    /**
     * The linear part of a layer: {@code out[r][0..outLen)} for r < convRows, biases included.
     * {@code params[off…]} holds the layer's weights then biases; {@code s} is a scratch row of at
     * least outLen.
     */
    public static void convolve(LayerSpec l, float[] params, int off, float[][] in, int inLen,
                                float[][] out, float[] s) {
        int rows = l.convRows();
        int inCh = l.inChannels();
        int k = l.kernel();
        int d = l.dilation();
        int pad = l.padLeft();
        int outLen = l.outLength(inLen);
        int bOff = off + l.weightCount();
        for (int r = 0; r < rows; r++) {
            Arrays.fill(out[r], 0, outLen, params[bOff + r]);
        }
        int rowStride = inCh * k;
        for (int c = 0; c < inCh; c++) {
            float[] x = in[c];
            for (int j = 0; j < k; j++) {
                shiftRow(x, inLen, j * d - pad, s, outLen);
                int wi = off + c * k + j;
                int r = 0;
                for (; r + 3 < rows; r += 4) {
                    float w0 = params[wi + r * rowStride];
                    float w1 = params[wi + (r + 1) * rowStride];
                    float w2 = params[wi + (r + 2) * rowStride];
                    float w3 = params[wi + (r + 3) * rowStride];
                    float[] y0 = out[r];
                    float[] y1 = out[r + 1];
                    float[] y2 = out[r + 2];
                    float[] y3 = out[r + 3];
                    for (int f = 0; f < outLen; f++) {
                        float v = s[f];
                        y0[f] += w0 * v;
                        y1[f] += w1 * v;
                        y2[f] += w2 * v;
                        y3[f] += w3 * v;
                    }
                }
                for (; r < rows; r++) {
                    float w0 = params[wi + r * rowStride];
                    float[] y0 = out[r];
                    for (int f = 0; f < outLen; f++) {
                        y0[f] += w0 * s[f];
                    }
                }
            }
        }
    }

    public static void relu(float[] y, int len) {
        for (int f = 0; f < len; f++) {
            y[f] = Math.max(y[f], 0f);
        }
    }

    /** {@code out[f] = value[f] · sigmoid(gate[f])}. */
    public static void gate(float[] value, float[] gate, float[] out, int len) {
        for (int f = 0; f < len; f++) {
            out[f] = value[f] / (1f + (float) Math.exp(-gate[f]));
        }
    }

    public static void add(float[] y, float[] x, int len) {
        for (int f = 0; f < len; f++) {
            y[f] += x[f];
        }
    }
}
