package dev.phasegrad.nn.runtime;

import dev.phasegrad.nn.LayerSpec;
import java.util.Arrays;

/**
 * Forward kernels of {@link LayerSpec}, shared by inference and training. Every hot inner loop reads
 * and writes its arrays at the same index ({@code y[f] += w * s[f]}): input rows are first copied,
 * shifted per kernel tap, into scratch rows, because HotSpot's vectoriser gives up on loops that
 * read two arrays at different offsets.
 * Stateless; thread safe as long as callers pass their own buffers.
 */
public final class ConvKernels {
    private ConvKernels() {}

    /** {@code s[f] = x[f + offset]} for f in [0, outLen), zero where f + offset falls outside [0, inLen). */
    public static void shiftRow(float[] x, int inLen, int offset, float[] s, int outLen) {
        int lo = Math.min(outLen, Math.max(0, -offset));
        int hi = Math.max(lo, Math.min(outLen, inLen - offset));
        // the zero margins are a few values (the padding): plain loops, Arrays.fill's call and range
        // checks cost more than the stores (measured: 6 % of a 512/128 network run)
        for (int f = 0; f < lo; f++) {
            s[f] = 0f;
        }
        if (hi > lo) {
            System.arraycopy(x, lo + offset, s, lo, hi - lo);
        }
        for (int f = hi; f < outLen; f++) {
            s[f] = 0f;
        }
    }

    /**
     * Scratch of {@link #convolve}: room for a shifted copy of the input row of every (input channel,
     * tap) pair, and the table of rows the kernel actually reads. A tap with no shift reads its input row
     * in place: for a "same" convolution that is one copy in k saved (about 1 µs per 22-channel layer at
     * 257 bins). One per thread.
     */
    public static final class Taps {
        private final float[][] storage;
        private final float[][] rows;

        /** For layers with at most {@code maxTaps} = inChannels·kernel pairs and outputs of at most maxLen values. */
        public Taps(int maxTaps, int maxLen) {
            storage = new float[maxTaps][maxLen];
            rows = new float[maxTaps][];
        }
    }

    /**
     * The linear part of a layer: {@code out[r][0..outLen)} for r &lt; convRows, biases included.
     * {@code params[off…]} holds the layer's weights then biases. Every (input channel, tap) pair reads
     * its own copy of the input row, shifted, so the inner loops read every array at the same index.
     *
     * <p>Register blocking: two output rows accumulate five tap rows per pass (ten multiply-adds per
     * loaded output pair), written with {@link Math#fma}. The exact shape matters on JDK 17: C2's
     * vectoriser turned down most other blockings we measured (1×8, 2×4, 2×6, 3×3, 4×4 with or without
     * fma ran 3–6 GMAC/s instead of 15–24), see the kernel table in docs/PERFORMANCE.md.
     */
    public static void convolve(
            LayerSpec l, float[] params, int off, float[][] in, int inLen, float[][] out, Taps scratch) {
        int rows = l.convRows();
        int inCh = l.inChannels();
        int k = l.kernel();
        int d = l.dilation();
        int pad = l.padLeft();
        int outLen = l.outLength(inLen);
        int bOff = off + l.weightCount();
        int m = inCh * k;
        float[][] taps = scratch.rows;
        for (int c = 0; c < inCh; c++) {
            for (int j = 0; j < k; j++) {
                int shift = j * d - pad;
                int q = c * k + j;
                if (shift == 0 && outLen <= inLen) {
                    taps[q] = in[c];
                } else {
                    taps[q] = scratch.storage[q];
                    shiftRow(in[c], inLen, shift, taps[q], outLen);
                }
            }
        }
        accumulate(params, off, bOff, rows, m, taps, out, outLen);
    }

    private static void accumulate(
            float[] params, int off, int bOff, int rows, int m, float[][] taps, float[][] out, int outLen) {
        int r = 0;
        for (; r + 1 < rows; r += 2) {
            float[] y0 = out[r];
            float[] y1 = out[r + 1];
            Arrays.fill(y0, 0, outLen, params[bOff + r]);
            Arrays.fill(y1, 0, outLen, params[bOff + r + 1]);
            int w0 = off + r * m;
            int w1 = w0 + m;
            int q = 0;
            for (; q + 4 < m; q += 5) {
                float[] s0 = taps[q];
                float[] s1 = taps[q + 1];
                float[] s2 = taps[q + 2];
                float[] s3 = taps[q + 3];
                float[] s4 = taps[q + 4];
                float a0 = params[w0 + q];
                float a1 = params[w0 + q + 1];
                float a2 = params[w0 + q + 2];
                float a3 = params[w0 + q + 3];
                float a4 = params[w0 + q + 4];
                float b0 = params[w1 + q];
                float b1 = params[w1 + q + 1];
                float b2 = params[w1 + q + 2];
                float b3 = params[w1 + q + 3];
                float b4 = params[w1 + q + 4];
                for (int f = 0; f < outLen; f++) {
                    float x0 = s0[f];
                    float x1 = s1[f];
                    float x2 = s2[f];
                    float x3 = s3[f];
                    float x4 = s4[f];
                    y0[f] = Math.fma(
                            a4, x4, Math.fma(a3, x3, Math.fma(a2, x2, Math.fma(a1, x1, Math.fma(a0, x0, y0[f])))));
                    y1[f] = Math.fma(
                            b4, x4, Math.fma(b3, x3, Math.fma(b2, x2, Math.fma(b1, x1, Math.fma(b0, x0, y1[f])))));
                }
            }
            for (; q < m; q++) {
                float[] s0 = taps[q];
                float a0 = params[w0 + q];
                float b0 = params[w1 + q];
                for (int f = 0; f < outLen; f++) {
                    y0[f] = Math.fma(a0, s0[f], y0[f]);
                }
                for (int f = 0; f < outLen; f++) {
                    y1[f] = Math.fma(b0, s0[f], y1[f]);
                }
            }
        }
        for (; r < rows; r++) {
            float[] y = out[r];
            Arrays.fill(y, 0, outLen, params[bOff + r]);
            int w = off + r * m;
            for (int q = 0; q < m; q++) {
                float a = params[w + q];
                float[] s = taps[q];
                for (int f = 0; f < outLen; f++) {
                    y[f] = Math.fma(a, s[f], y[f]);
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

    /** {@code y[f] = max(y[f], 0) + x[f]}: {@link #relu} then {@link #add} in one pass. */
    public static void reluAdd(float[] y, float[] x, int len) {
        for (int f = 0; f < len; f++) {
            y[f] = Math.max(y[f], 0f) + x[f];
        }
    }

    public static void add(float[] y, float[] x, int len) {
        for (int f = 0; f < len; f++) {
            y[f] += x[f];
        }
    }
}
