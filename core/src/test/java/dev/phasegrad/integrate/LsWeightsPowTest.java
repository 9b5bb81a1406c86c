package dev.phasegrad.integrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LsWeightsPowTest {
    @Test
    void powInPlaceMatchesMathPowForFastAndGeneralExponents() {
        SplittableRandom r = new SplittableRandom(5);
        double[] x = new double[300];
        for (int k = 0; k < x.length; k++) {
            x[k] = k < 3 ? new double[] {0, 1, Double.MIN_NORMAL}[k] : Math.pow(10, r.nextDouble(-12, 2));
        }
        for (double p : new double[] {0, 0.5, 1, 1.5, 2, 2.5, 3, 7.5, 8, 0.75, 1.3, 8.5}) {
            double[] a = x.clone();
            LsWeights.powInPlace(a, a.length - 1, p);
            for (int k = 0; k < a.length - 1; k++) {
                double expect = Math.pow(x[k], p);
                assertThat(a[k])
                        .as("%s^%s", x[k], p)
                        .isCloseTo(expect, within(1e-13 * Math.max(expect, Double.MIN_NORMAL)));
            }
            assertThat(a[a.length - 1]).as("element beyond n untouched").isEqualTo(x[x.length - 1]);
        }
    }
}
