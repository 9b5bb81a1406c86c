package dev.phasegrad.nn;

/**
 * Natural logarithm of a whole array of positive normal floats, for the network's log-magnitude input.
 *
 * <p>Why not {@link Math#log}: a ~17 ns call on JDK 17, 9 µs per 513-bin frame, paid on every frame
 * by both the full and the strided model. Here: x = 2^e · m with m in [√½, √2) by integer arithmetic
 * on the bits, then ln m = 2·atanh(s), s = (m − 1)/(m + 1), |s| ≤ 0.172, by its odd series through s¹¹
 * (truncation below 1e−10); no branch, so C2 vectorises the loop (1.2 µs per 513 values).
 * Accuracy: within 2 float ulps of the result (absolute 4e−6 at |ln x| ≈ 85), for positive normal
 * finite x only — callers floor their input above zero first. Stateless, thread safe.
 */
final class FastLog {
    private static final float LN2 = (float) Math.log(2);
    /** Bits of √½ as a float: subtracting them puts the mantissa range [√½, √2) at exponent 0. */
    private static final int SQRT_HALF_BITS = Float.floatToRawIntBits((float) Math.sqrt(0.5));

    private FastLog() {}

    /** {@code out[i] = ln(x[i])} for i < n; x and out may be the same array. */
    static void log(float[] x, float[] out, int n) {
        for (int i = 0; i < n; i++) {
            int t = Float.floatToRawIntBits(x[i]) - SQRT_HALF_BITS;
            int e = t >> 23;
            float m = Float.intBitsToFloat((t & 0x007fffff) + SQRT_HALF_BITS);
            float s = (m - 1f) / (m + 1f);
            float s2 = s * s;
            float p = 2f / 11;
            p = Math.fma(p, s2, 2f / 9);
            p = Math.fma(p, s2, 2f / 7);
            p = Math.fma(p, s2, 2f / 5);
            p = Math.fma(p, s2, 2f / 3);
            p = Math.fma(p, s2, 2f);
            out[i] = Math.fma(e, LN2, s * p);
        }
    }
}
