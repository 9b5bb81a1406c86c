package dev.phasegrad.nn.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class AnglesTest {
    private static final double PI = Math.PI;

    /** Math.atan2 mapped to [−π, π) in float, the contract of the scalar helper. */
    private static double reference(float y, float x) {
        return Angles.atan2(y, x);
    }

    private static void check(float[] y, float[] x) {
        float[] out = new float[y.length];
        Angles.atan2(y, x, out, y.length);
        for (int i = 0; i < y.length; i++) {
            double ref = reference(y[i], x[i]);
            double diff = Math.abs(out[i] - ref);
            diff = Math.min(diff, 2 * PI - diff); // −π and π are the same angle
            assertThat(diff)
                    .as("atan2(%s, %s) = %s, expected %s", y[i], x[i], out[i], ref)
                    .isLessThan(1e-6);
            assertThat((double) out[i]).as("atan2(%s, %s) range", y[i], x[i]).isBetween(-PI - 1e-6, PI);
        }
    }

    @Test
    void arrayAtan2MatchesMathAtan2OnRandomPairsOfAllScales() {
        SplittableRandom r = new SplittableRandom(11);
        int n = 200_000;
        float[] y = new float[n];
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            double scale = Math.pow(10, r.nextDouble(-30, 30));
            y[i] = (float) (r.nextGaussian() * scale);
            x[i] = (float) (r.nextGaussian() * (r.nextBoolean() ? scale : 1));
        }
        check(y, x);
    }

    @Test
    void arrayAtan2HandlesAxesZerosReductionBoundaryAndNonFiniteInput() {
        float t8 = (float) Math.tan(PI / 8);
        float inf = Float.POSITIVE_INFINITY;
        float[] y = {
            0f,
            -0f,
            0f,
            -0f,
            1f,
            -1f,
            0f,
            0f,
            1f,
            -1f,
            1f,
            t8,
            Math.nextUp(t8),
            Math.nextDown(t8),
            Float.MIN_VALUE,
            3e38f,
            -3e38f,
            1f,
            inf,
            -inf,
            inf,
            1e-30f,
            -1e-30f,
            Float.MIN_VALUE,
            1e-44f
        };
        float[] x = {
            0f,
            0f,
            -1f,
            -1f,
            0f,
            0f,
            1f,
            -0f,
            1f,
            -1f,
            -1f,
            1f,
            1f,
            1f,
            1f,
            3e38f,
            1e-30f,
            inf,
            1f,
            -inf,
            inf,
            -1f,
            -1f,
            -Float.MIN_VALUE,
            3e-45f
        };
        check(y, x);
        float[] out = new float[1];
        Angles.atan2(new float[] {Float.NaN}, new float[] {1f}, out, 1);
        assertThat(out[0]).isNaN();
        Angles.atan2(new float[] {0f}, new float[] {0f}, out, 1);
        assertThat(out[0]).isEqualTo(0f);
        Angles.atan2(new float[] {-0f}, new float[] {-1f}, out, 1);
        assertThat((double) out[0]).isEqualTo(-PI, Assertions.within(1e-6));
    }
}
