package dev.phasegrad.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phasegrad.features.FeatureSpec;
import dev.phasegrad.nn.HeadSpec;
import dev.phasegrad.nn.InputFeatures;
import dev.phasegrad.nn.LayerSpec;
import dev.phasegrad.nn.NetworkSpec;
import dev.phasegrad.nn.PhaseModel;
import dev.phasegrad.nn.runtime.ConvKernels;
import dev.phasegrad.stft.StftConfig;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** Every layer's backward pass against central finite differences, on tiny sizes. */
class GradientCheckTest {
    private static final StftConfig TINY = StftConfig.hann(16, 4); // 9 bins

    @Test
    void convolutionWeightBiasAndInputGradients() {
        for (LayerSpec l : List.of(
                LayerSpec.conv(3, 5, 5, 2, LayerSpec.Activation.NONE, -1),
                LayerSpec.conv(2, 3, 3, 1, LayerSpec.Activation.NONE, -1),
                LayerSpec.between(3, 2, 4),
                LayerSpec.gated(2, 3, 3, 1, -1),
                new LayerSpec(LayerSpec.Kind.CONV, 2, 2, 4, 3, 0, -2, LayerSpec.Activation.NONE, -1))) {
            SplittableRandom rnd = new SplittableRandom(7);
            int inLen = 9;
            int outLen = l.outLength(inLen);
            float[] p = random(rnd, l.paramCount());
            float[][] x = new float[l.inChannels()][];
            for (int c = 0; c < x.length; c++) {
                x[c] = random(rnd, inLen);
            }
            float[][] r = new float[l.convRows()][];
            for (int c = 0; c < r.length; c++) {
                r[c] = random(rnd, outLen);
            }
            // L = Σ r · conv(x): dL/dz = r
            float[] grad = new float[p.length];
            float[][] dx = new float[x.length][inLen];
            ConvGrad.backward(l, p, 0, x, inLen, r, grad, dx, new float[inLen], new float[inLen]);
            for (int i = 0; i < p.length; i++) {
                int idx = i;
                double num = central(h -> {
                    float[] q = p.clone();
                    q[idx] += h;
                    return linear(l, q, x, r, inLen);
                });
                assertThat((double) grad[i]).as(l + " param " + i).isCloseTo(num, tol(num));
            }
            for (int c = 0; c < x.length; c++) {
                for (int f = 0; f < inLen; f++) {
                    int cc = c;
                    int ff = f;
                    double num = central(h -> {
                        float[][] y = new float[x.length][];
                        for (int k = 0; k < x.length; k++) {
                            y[k] = x[k].clone();
                        }
                        y[cc][ff] += h;
                        return linear(l, p, y, r, inLen);
                    });
                    assertThat((double) dx[c][f]).as(l + " dx " + c + "," + f).isCloseTo(num, tol(num));
                }
            }
        }
    }

    @Test
    void tinyProposedNetworkReluSkipDilationAndCosSinHeads() {
        NetworkSpec net = new NetworkSpec(
                3,
                List.of(
                        LayerSpec.conv(3, 4, 3, 1, LayerSpec.Activation.RELU, -1),
                        LayerSpec.conv(4, 4, 3, 2, LayerSpec.Activation.RELU, 1),
                        LayerSpec.conv(4, 4, 5, 1, LayerSpec.Activation.NONE, 2)),
                List.of(
                        new HeadSpec(
                                HeadSpec.Target.DT,
                                0,
                                HeadSpec.Encoding.COS_SIN,
                                LayerSpec.conv(4, 2, 3, 1, LayerSpec.Activation.NONE, -1)),
                        new HeadSpec(HeadSpec.Target.DF, 0, HeadSpec.Encoding.COS_SIN, LayerSpec.between(4, 2, 4))));
        checkNetwork(model(List.of(net), 3, 1));
    }

    @Test
    void tinyGatedResidualNetworksWithAngleHeads() {
        NetworkSpec dt = new NetworkSpec(
                2,
                List.of(
                        LayerSpec.conv(2, 3, 1, 1, LayerSpec.Activation.NONE, -1),
                        LayerSpec.gated(3, 3, 3, 1, -1),
                        LayerSpec.gated(3, 3, 3, 1, 1)),
                List.of(new HeadSpec(
                        HeadSpec.Target.DT,
                        0,
                        HeadSpec.Encoding.ANGLE,
                        LayerSpec.conv(3, 1, 1, 1, LayerSpec.Activation.NONE, -1))));
        NetworkSpec df = new NetworkSpec(
                2,
                List.of(LayerSpec.gated(2, 3, 3, 1, -1)),
                List.of(new HeadSpec(HeadSpec.Target.DF, 0, HeadSpec.Encoding.ANGLE, LayerSpec.between(3, 1, 2))));
        checkNetwork(model(List.of(dt, df), 2, 1));
    }

    @Test
    void tinyStridedNetworkWithFourHeads() {
        PhaseModel m = Architectures.create(Architectures.STRIDED, TINY, 3, 5);
        checkNetwork(m);
    }

    @Test
    void tinyMelRefinerWithLogMagnitudeHeadUnderL1AndL2() {
        FeatureSpec spec = FeatureSpec.parse("rate=16000,fft=16,hop=4,bands=4,fmax=8000");
        PhaseModel m = Architectures.createRefiner(spec, 5, 3, 9);
        // the head starts at zero: give it weights so every trunk gradient is exercised
        m = m.withParams(random(new SplittableRandom(13), m.paramCount()));
        SplittableRandom rnd = new SplittableRandom(17);
        int bins = spec.bins();
        float[][] input = new float[m.inputFrames()][];
        for (int i = 0; i < input.length; i++) {
            input[i] = random(rnd, bins);
        }
        float[] tau = random(rnd, bins);
        Example ex = new Example(null, 0, tau, positive(rnd, bins));
        float norm = 1f / ex.sumWdt;
        for (MagnitudeLoss loss : MagnitudeLoss.values()) {
            float[] p = m.params();
            float[] grad = new float[p.length];
            PhaseModel model = m;
            double value = new Workspace(model, loss).step(p, input, ex, norm, 0f, grad);
            assertThat(value).isPositive();
            for (int i = 0; i < p.length; i++) {
                int idx = i;
                double num = central(h -> {
                    float[] q = p.clone();
                    q[idx] += h;
                    return new Workspace(model, loss).step(q, input, ex, norm, 0f, null);
                });
                assertThat((double) grad[i]).as(loss + " parameter " + i).isCloseTo(num, tol(num));
            }
        }
    }

    private static PhaseModel model(List<NetworkSpec> nets, int frames, int stride) {
        int n = NetworkSpec.paramCount(nets);
        PhaseModel shape =
                new PhaseModel("test", TINY, InputFeatures.DEFAULT, frames, stride, 1f, 10f, "", nets, new float[n]);
        return shape.withParams(random(new SplittableRandom(3), n));
    }

    private static void checkNetwork(PhaseModel m) {
        SplittableRandom rnd = new SplittableRandom(11);
        int bins = TINY.bins();
        float[][] input = new float[m.inputFrames()][];
        for (int i = 0; i < input.length; i++) {
            input[i] = random(rnd, bins);
        }
        int s = m.stride();
        float[][] dt = new float[s][];
        float[][] df = new float[s][];
        float[][] wdt = new float[s][];
        float[][] wdf = new float[s][];
        for (int i = 0; i < s; i++) {
            dt[i] = angles(rnd, bins);
            df[i] = angles(rnd, bins - 1);
            wdt[i] = positive(rnd, bins);
            wdf[i] = positive(rnd, bins - 1);
        }
        Example ex = new Example(null, 0, dt, df, wdt, wdf);
        float nDt = 1f / ex.sumWdt;
        float nDf = 1f / ex.sumWdf;
        float[] p = m.params();
        float[] grad = new float[p.length];
        Workspace w = new Workspace(m);
        double loss = w.step(p, input, ex, nDt, nDf, grad);
        assertThat(loss).isBetween(-2.0, 2.0);
        for (int i = 0; i < p.length; i++) {
            int idx = i;
            double num = central(h -> {
                float[] q = p.clone();
                q[idx] += h;
                return new Workspace(m).step(q, input, ex, nDt, nDf, null);
            });
            assertThat((double) grad[i])
                    .as("parameter " + i + " of " + m.describe())
                    .isCloseTo(num, tol(num));
        }
    }

    private static double linear(LayerSpec l, float[] p, float[][] x, float[][] r, int inLen) {
        int outLen = l.outLength(inLen);
        float[][] z = new float[l.convRows()][outLen];
        ConvKernels.convolve(l, p, 0, x, inLen, z, new ConvKernels.Taps(l.inChannels() * l.kernel(), inLen));
        double s = 0;
        for (int i = 0; i < z.length; i++) {
            for (int f = 0; f < outLen; f++) {
                s += (double) r[i][f] * z[i][f];
            }
        }
        return s;
    }

    private static Offset<Double> tol(double num) {
        return Offset.offset(2e-3 + 2e-2 * Math.abs(num));
    }

    private static double central(DoubleUnaryOperator f) {
        double h = 1e-3;
        return (f.applyAsDouble(h) - f.applyAsDouble(-h)) / (2 * h);
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return a;
    }

    private static float[] positive(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (0.1 + r.nextDouble());
        }
        return a;
    }

    private static float[] angles(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((r.nextDouble() * 2 - 1) * Math.PI);
        }
        return a;
    }
}
