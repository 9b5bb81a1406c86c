package dev.phasegrad.integrate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FiniteNonNegativeTest {
    @Test
    void findsTheFirstNegativeNanOrInfiniteValueWithinN() {
        float[] ok = {0f, -0f, 1e-45f, Float.MAX_VALUE, 3f};
        assertThat(FiniteNonNegative.firstInvalid(ok, ok.length)).isEqualTo(-1);
        for (float bad : new float[] {-1e-45f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            float[] a = {1f, 2f, bad, 4f, bad};
            assertThat(FiniteNonNegative.firstInvalid(a, a.length))
                    .as("%s", bad)
                    .isEqualTo(2);
            assertThat(FiniteNonNegative.firstInvalid(a, 2))
                    .as("%s beyond n", bad)
                    .isEqualTo(-1);
            double[] d = {1, 2, bad, 4, bad};
            assertThat(FiniteNonNegative.firstInvalid(d, d.length))
                    .as("%s", bad)
                    .isEqualTo(2);
            assertThat(FiniteNonNegative.firstInvalid(d, 2)).isEqualTo(-1);
        }
        double[] okD = {0, -0.0, Double.MIN_VALUE, Double.MAX_VALUE};
        assertThat(FiniteNonNegative.firstInvalid(okD, okD.length)).isEqualTo(-1);
    }
}
