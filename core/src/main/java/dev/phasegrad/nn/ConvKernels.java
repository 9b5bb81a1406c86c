package dev.phasegrad.nn;

import java.util.Arrays;

/**
 * Forward kernels of {@link LayerSpec}, shared by inference and training. Every hot inner loop reads
 * and writes its arrays at the same index ({@code y[f] += w * s[f]}): input rows are first copied,
 * shifted per kernel tap, into scratch rows, because HotSpot's vectoriser gives up on loops that
 * read two arrays at different offsets.
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
     * {@code params[off…]} holds the layer's weights then biases. {@code taps} is scratch of at least
     * inChannels·kernel rows of at least outLen: every (input channel, tap) pair gets its own shifted
     * copy of the input row, so each output row then accumulates four such rows per pass with
     * every array read at the same index (one load and store of the output per four multiply-adds).
     */
    public static void convolve(LayerSpec l, float[] params, int off, float[][] in, int inLen,
                                float[][] out, float[][] taps) {
        int rows = l.convRows();
        int inCh = l.inChannels();
        int k = l.kernel();
        int d = l.dilation();
        int pad = l.padLeft();
        int outLen = l.outLength(inLen);
        int bOff = off + l.weightCount();
        int m = inCh * k;
        for (int c = 0; c < inCh; c++) {
            for (int j = 0; j < k; j++) {
                shiftRow(in[c], inLen, j * d - pad, taps[c * k + j], outLen);
            }
        }
        for (int r = 0; r < rows; r++) {
            float[] y = out[r];
            java.util.Arrays.fill(y, 0, outLen, params[bOff + r]);
            int w = off + r * m;
            int q = 0;
            for (; q + 3 < m; q += 4) {
                float w0 = params[w + q];
                float w1 = params[w + q + 1];
                float w2 = params[w + q + 2];
                float w3 = params[w + q + 3];
                float[] s0 = taps[q];
                float[] s1 = taps[q + 1];
                float[] s2 = taps[q + 2];
                float[] s3 = taps[q + 3];
                for (int f = 0; f < outLen; f++) {
                    y[f] += w0 * s0[f] + w1 * s1[f] + w2 * s2[f] + w3 * s3[f];
                }
            }
            for (; q < m; q++) {
                float w0 = params[w + q];
                float[] s0 = taps[q];
                for (int f = 0; f < outLen; f++) {
                    y[f] += w0 * s0[f];
                }
            }
        }
    }

    /** Scratch rows {@link #convolve} needs for layer {@code l} on inputs of {@code len}. */
    public static float[][] tapScratch(int rows, int len) {
        return new float[rows][len];
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
