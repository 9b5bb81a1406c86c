package dev.phasegrad.nn.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phasegrad.nn.HeadSpec;
import dev.phasegrad.nn.LayerSpec;
import dev.phasegrad.nn.NetworkSpec;
import dev.phasegrad.nn.PhaseModel;
import dev.phasegrad.nn.TinyModels;
import dev.phasegrad.stft.StftConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The runner packs all heads into one convolution and uses a polynomial atan2; this checks it against
 * the layer-by-layer definition (every head on its own, Math.atan2).
 */
class ModelRunnerTest {
    /** Per head: {cos row, sin row} of the unfused forward pass. */
    private static float[][][] unfusedHeads(PhaseModel m, float[][] input) {
        int bins = m.config().bins();
        float[] params = m.params();
        NetworkSpec net = m.networks().get(0);
        List<float[][]> acts = new ArrayList<>(); // 0 = input, i = output of trunk layer i−1
        acts.add(input);
        for (int i = 0; i < net.trunk().size(); i++) {
            LayerSpec l = net.trunk().get(i);
            float[][] z = new float[l.convRows()][bins];
            ConvKernels.convolve(
                    l,
                    params,
                    m.trunkOffset(0, i),
                    acts.get(i),
                    bins,
                    z,
                    new ConvKernels.Taps(l.inChannels() * l.kernel(), bins));
            float[][] y = new float[l.outChannels()][bins];
            for (int o = 0; o < l.outChannels(); o++) {
                for (int f = 0; f < bins; f++) {
                    double v = l.kind() == LayerSpec.Kind.GATED_CONV
                            ? z[o][f] / (1 + Math.exp(-z[l.outChannels() + o][f]))
                            : l.activation() == LayerSpec.Activation.RELU ? Math.max(z[o][f], 0) : z[o][f];
                    y[o][f] = (float) v + (l.skipFrom() >= 0 ? acts.get(l.skipFrom())[o][f] : 0f);
                }
            }
            acts.add(y);
        }
        List<HeadSpec> heads = net.heads();
        float[][][] out = new float[heads.size()][][];
        for (int h = 0; h < heads.size(); h++) {
            LayerSpec l = heads.get(h).layer();
            out[h] = new float[2][bins];
            ConvKernels.convolve(
                    l,
                    params,
                    m.headOffset(0, h),
                    acts.get(acts.size() - 1),
                    bins,
                    out[h],
                    new ConvKernels.Taps(l.inChannels() * l.kernel(), bins));
        }
        return out;
    }

    private static void check(PhaseModel m, long seed) {
        int bins = m.config().bins();
        SplittableRandom r = new SplittableRandom(seed);
        float[][] input = new float[m.inputFrames()][bins];
        for (float[] row : input) {
            for (int f = 0; f < bins; f++) {
                row[f] = (float) r.nextGaussian();
            }
        }
        ModelRunner runner = new ModelRunner(m);
        runner.run(input);
        float[][][] ref = unfusedHeads(m, input);
        List<HeadSpec> heads = m.networks().get(0).heads();
        int compared = 0;
        for (int h = 0; h < heads.size(); h++) {
            HeadSpec head = heads.get(h);
            int slot = head.frameOffset() + m.stride() - 1;
            float[] got = head.target() == HeadSpec.Target.DT ? runner.dt(slot) : runner.df(slot);
            int len = head.layer().outLength(bins);
            for (int f = 0; f < len; f++) {
                double c = ref[h][0][f];
                double s = ref[h][1][f];
                double norm = Math.hypot(c, s);
                double expect = Math.atan2(s, c);
                double diff = Math.abs(got[f] - expect);
                diff = Math.min(diff, 2 * Math.PI - diff);
                // float rounding of (c, s) moves the angle by ~ulp / |(c, s)|
                assertThat(diff)
                        .as("%s head %d bin %d (|(c,s)| = %s)", m.kind(), h, f, norm)
                        .isLessThan(1e-6 + 1e-5 / Math.max(norm, 1e-3));
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(bins);
    }

    @Test
    void fusedHeadsMatchTheLayerByLayerForwardPass() {
        StftConfig cfg = StftConfig.hann(32, 8);
        check(TinyModels.tiny(cfg, 1, 3), 1);
        check(TinyModels.tiny(cfg, 2, 4), 2);
        check(PhaseModel.builtin("proposed", StftConfig.HANN_512_128), 3);
        check(PhaseModel.builtin("proposed-strided", StftConfig.DEFAULT), 4);
    }
}
