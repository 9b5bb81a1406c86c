package dev.phasegrad.nn;

/** Angle helpers for network outputs, in radians wrapped to [−π, π). */
final class Angles {
    private static final float PI = (float) Math.PI;
    private static final float TWO_PI = (float) (2 * Math.PI);

    private Angles() {
    }

    /** atan2 mapped to [−π, π); (0, 0) gives 0. */
    static float atan2(float y, float x) {
        float a = (float) Math.atan2(y, x);
        return a >= PI ? a - TWO_PI : a;
    }

    static float wrap(float a) {
        if (!Float.isFinite(a)) {
            return 0f;
        }
        float w = a - TWO_PI * (float) Math.floor((a + PI) / TWO_PI);
        return w >= PI ? w - TWO_PI : (w < -PI ? -PI : w);
    }
}
