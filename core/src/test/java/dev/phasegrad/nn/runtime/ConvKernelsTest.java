package dev.phasegrad.nn.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.phasegrad.nn.LayerSpec;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConvKernelsTest {
    @Test
    void convolutionMatchesTheDefiningSum() {
        for (LayerSpec l : List.of(
                LayerSpec.conv(3, 7, 5, 2, LayerSpec.Activation.RELU, -1),
                LayerSpec.between(4, 2, 4),
                LayerSpec.gated(2, 3, 3, 1, -1),
                new LayerSpec(LayerSpec.Kind.CONV, 2, 5, 3, 3, 1, -2, LayerSpec.Activation.NONE, -1),
                // longer output than input with an unshifted tap: that tap must not read the row in place
                new LayerSpec(LayerSpec.Kind.CONV, 3, 4, 3, 1, 1, 1, LayerSpec.Activation.NONE, -1))) {
            SplittableRandom r = new SplittableRandom(4);
            int len = 17;
            float[] p = new float[l.paramCount() + 3];
            for (int i = 0; i < p.length; i++) {
                p[i] = (float) r.nextGaussian();
            }
            // rows longer than len, the tail filled with values that must never be read
            float[][] x = new float[l.inChannels()][len + 3];
            for (float[] row : x) {
                for (int f = 0; f < row.length; f++) {
                    row[f] = f < len ? (float) r.nextGaussian() : 1e6f;
                }
            }
            float[][] before = new float[x.length][];
            for (int c = 0; c < x.length; c++) {
                before[c] = x[c].clone();
            }
            int outLen = l.outLength(len);
            float[][] y = new float[l.convRows()][outLen];
            ConvKernels.convolve(l, p, 3, x, len, y, new ConvKernels.Taps(l.inChannels() * l.kernel(), outLen));
            assertThat(x).as("input rows are left untouched").isDeepEqualTo(before);
            for (int o = 0; o < l.convRows(); o++) {
                for (int f = 0; f < outLen; f++) {
                    double s = p[3 + l.weightCount() + o];
                    for (int c = 0; c < l.inChannels(); c++) {
                        for (int j = 0; j < l.kernel(); j++) {
                            int i = f + j * l.dilation() - l.padLeft();
                            if (i >= 0 && i < len) {
                                s += p[3 + (o * l.inChannels() + c) * l.kernel() + j] * x[c][i];
                            }
                        }
                    }
                    assertThat((double) y[o][f]).as(l + " row " + o + " f " + f).isCloseTo(s, within(1e-4));
                }
            }
        }
    }

    @Test
    void shiftRowHandlesOffsetsBeyondTheRow() {
        float[] x = {1, 2, 3};
        float[] s = new float[5];
        ConvKernels.shiftRow(x, 3, -2, s, 5);
        assertThat(s).containsExactly(0, 0, 1, 2, 3);
        ConvKernels.shiftRow(x, 3, 2, s, 5);
        assertThat(s).containsExactly(3, 0, 0, 0, 0);
        ConvKernels.shiftRow(x, 3, 9, s, 5);
        assertThat(s).containsExactly(0, 0, 0, 0, 0);
        ConvKernels.shiftRow(x, 3, -9, s, 5);
        assertThat(s).containsExactly(0, 0, 0, 0, 0);
    }
}
