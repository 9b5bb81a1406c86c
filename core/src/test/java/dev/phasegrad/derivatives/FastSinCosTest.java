package dev.phasegrad.derivatives;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class FastSinCosTest {
    /** {largest absolute error, largest error in ulps of the reference} against Math.cos / Math.sin. */
    private static double[] worst(double[] x) {
        int n = x.length;
        double[] c = new double[n];
        double[] s = new double[n];
        FastSinCos.cosSin(x, c, s, n);
        double abs = 0;
        double ulps = 0;
        for (int i = 0; i < n; i++) {
            double ec = Math.abs(c[i] - Math.cos(x[i]));
            double es = Math.abs(s[i] - Math.sin(x[i]));
            abs = Math.max(abs, Math.max(ec, es));
            ulps = Math.max(ulps, Math.max(ec / Math.ulp(Math.cos(x[i])), es / Math.ulp(Math.sin(x[i]))));
        }
        return new double[] {abs, ulps};
    }

    @Test
    void matchesMathOnThePrincipalRangeAndBeyond() {
        SplittableRandom r = new SplittableRandom(7);
        double[] x = new double[200_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextDouble(-Math.PI, Math.PI);
        }
        double[] e = worst(x);
        assertThat(e[0]).as("absolute error on [-pi, pi)").isLessThan(4e-16);
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextDouble(-FastSinCos.MAX_REDUCED, FastSinCos.MAX_REDUCED);
        }
        assertThat(worst(x)[0]).as("absolute error up to MAX_REDUCED").isLessThan(1e-15);
    }

    @Test
    void nearlyExactNearZerosAndQuadrantBoundaries() {
        // relative accuracy matters where the value itself is tiny: angles near 0 and near k·pi/2
        double[] x = new double[4000];
        int i = 0;
        for (int k = -8; k <= 8; k++) {
            double centre = k * (Math.PI / 2);
            for (int j = -117; j <= 117; j++) {
                x[i++] = centre + j * 1e-9 * Math.abs(j);
            }
        }
        double[] sub = Arrays.copyOf(x, i);
        assertThat(worst(sub)[0]).isLessThan(4e-16);
        double[] tiny = {0.0, -0.0, 1e-300, -1e-20, 1e-8, Double.MIN_VALUE};
        double[] c = new double[tiny.length];
        double[] s = new double[tiny.length];
        FastSinCos.cosSin(tiny, c, s, tiny.length);
        for (int k = 0; k < tiny.length; k++) {
            assertThat(s[k]).isEqualTo(Math.sin(tiny[k]));
            assertThat(c[k]).isEqualTo(Math.cos(tiny[k]));
        }
    }

    @Test
    void largeAndNonFiniteAnglesBehaveLikeMath() {
        double[] x = {
            1e6,
            -3.5e9,
            1e300,
            Double.MAX_VALUE,
            Double.NaN,
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY,
            FastSinCos.MAX_REDUCED,
            -FastSinCos.MAX_REDUCED
        };
        double[] c = new double[x.length];
        double[] s = new double[x.length];
        FastSinCos.cosSin(x, c, s, x.length);
        for (int k = 0; k < 7; k++) {
            // boxed, so NaN equals NaN
            assertThat(Double.valueOf(c[k])).as("cos %s", x[k]).isEqualTo(Double.valueOf(Math.cos(x[k])));
            assertThat(Double.valueOf(s[k])).as("sin %s", x[k]).isEqualTo(Double.valueOf(Math.sin(x[k])));
        }
        for (int k = 7; k < x.length; k++) {
            assertThat(Math.abs(c[k] - Math.cos(x[k]))).isLessThan(1e-15);
            assertThat(Math.abs(s[k] - Math.sin(x[k]))).isLessThan(1e-15);
        }
    }

    @Test
    void onlyTheFirstNEntriesAreWritten() {
        double[] x = {0.5, 1.5, 2.5};
        double[] c = {9, 9, 9};
        double[] s = {9, 9, 9};
        FastSinCos.cosSin(x, c, s, 2);
        assertThat(c[2]).isEqualTo(9);
        assertThat(s[2]).isEqualTo(9);
        assertThat(c[1]).isCloseTo(Math.cos(1.5), Assertions.within(1e-15));
    }
}
