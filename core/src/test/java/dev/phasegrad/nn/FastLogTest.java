package dev.phasegrad.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FastLogTest {
    @Test
    void matchesMathLogWithinTwoUlpsOverTheWholeNormalRange() {
        SplittableRandom r = new SplittableRandom(8);
        int n = 100_000;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) Math.pow(10, r.nextDouble(-37.9, 38.5));
        }
        float[] edges = {
            Float.MIN_NORMAL,
            Float.MAX_VALUE,
            1f,
            Math.nextUp(1f),
            Math.nextDown(1f),
            (float) Math.sqrt(0.5),
            Math.nextDown((float) Math.sqrt(0.5)),
            (float) Math.sqrt(2),
            2f,
            0.5f,
            1e-7f
        };
        System.arraycopy(edges, 0, x, 0, edges.length);
        float[] out = new float[n];
        FastLog.log(x, out, n);
        for (int i = 0; i < n; i++) {
            double ref = Math.log(x[i]);
            double tol = 2 * Math.ulp((float) ref) + 1e-7; // near x = 1 the result's ulp vanishes
            assertThat(Math.abs(out[i] - ref))
                    .as("ln %s = %s, expected %s", x[i], out[i], ref)
                    .isLessThanOrEqualTo(tol);
        }
        FastLog.log(x, x, n); // in place
        assertThat(x).containsExactly(out);
    }
}
