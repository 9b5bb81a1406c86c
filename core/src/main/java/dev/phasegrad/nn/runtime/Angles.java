package dev.phasegrad.nn.runtime;

/** Angle helpers for network outputs, in radians wrapped to [−π, π). */
final class Angles {
    private static final float PI = (float) Math.PI;
    private static final float TWO_PI = (float) (2 * Math.PI);

    private Angles() {}

    /** atan2 mapped to [−π, π); (0, 0) gives 0. */
    static float atan2(float y, float x) {
        float a = (float) Math.atan2(y, x);
        return a >= PI ? a - TWO_PI : a;
    }

    /**
     * {@code out[i] = atan2(y[i], x[i])} for i < n, mapped to [−π, π) like {@link #atan2(float, float)},
     * absolute error below 1e−6 rad (a few float ulps of π).
     *
     * <p>Why not {@link Math#atan2}: on JDK 17 it is a ~30 ns call, and the (cos, sin) heads need one per
     * bin and derivative (19 µs of a 512/128 frame, 4 × 513 calls per run of the strided model). The
     * main loop here has no branch and no select, so C2 vectorises it: with (x, y) scaled by
     * 1/max(|x|, |y|), the half-angle identity atan2(y, x) = 2·atan2(y, r + x) (r = |(x, y)|) applied
     * twice leaves 4·atan(v) with |v| ≤ 1, a polynomial. r + x is formed without cancellation as
     * r + |x| for x ≥ 0 and y²/(r + |x|) for x < 0, blended by a 0/1 factor from min/max. Pairs the
     * identity cannot take (x ≤ 0 with |y| < 1e−18·|x|, where (y/x)² loses precision as a subnormal and
     * y = 0 needs ±π by sign; subnormal pairs; non-finite input) are redone with Math.atan2 in a
     * second pass whose branch is almost never taken.
     */
    static void atan2(float[] y, float[] x, float[] out, int n) {
        for (int i = 0; i < n; i++) {
            float ax = Math.abs(x[i]);
            float inv = 1f / Math.max(ax, Math.abs(y[i]));
            float xs = x[i] * inv;
            float ys = y[i] * inv;
            float axs = ax * inv;
            float r = (float) Math.sqrt(Math.fma(xs, xs, ys * ys));
            float s = r + axs;
            float positive = Math.min(Math.max(xs * 0x1p100f, 0f), 1f);
            float d = positive * s + (1f - positive) * (ys * ys / s); // r + x, ≥ 0
            float v = ys / ((float) Math.sqrt(Math.fma(d, d, ys * ys)) + d);
            float v2 = v * v;
            // atan v on [−1, 1], Abramowitz & Stegun 4.4.49 (|error| ≤ 1e−8)
            float p = 0.0028662257f;
            p = Math.fma(p, v2, -0.0161657367f);
            p = Math.fma(p, v2, 0.0429096138f);
            p = Math.fma(p, v2, -0.0752896400f);
            p = Math.fma(p, v2, 0.1065626393f);
            p = Math.fma(p, v2, -0.1420889944f);
            p = Math.fma(p, v2, 0.1999355085f);
            p = Math.fma(p, v2, -0.3333314528f);
            out[i] = 4f * Math.fma(v * v2, p, v);
        }
        for (int i = 0; i < n; i++) {
            float xi = x[i];
            float yi = y[i];
            // y = 0 with x ≤ 0; x < 0 with |y/x| so small that (y/x)² is subnormal; 1/max overflowed
            // (subnormal pairs); non-finite input
            if ((!(xi > 0f) && Math.abs(yi) < 1e-18f * Math.abs(xi))
                    || yi == 0f && xi == 0f
                    || !(Math.abs(out[i]) < 4f)
                    || !(Math.abs(xi) + Math.abs(yi) < Float.POSITIVE_INFINITY)) {
                out[i] = atan2(yi, xi);
            } else if (out[i] >= PI) {
                out[i] -= TWO_PI;
            }
        }
    }

    static float wrap(float a) {
        if (!Float.isFinite(a)) {
            return 0f;
        }
        float w = a - TWO_PI * (float) Math.floor((a + PI) / TWO_PI);
        return w >= PI ? w - TWO_PI : (w < -PI ? -PI : w);
    }
}
