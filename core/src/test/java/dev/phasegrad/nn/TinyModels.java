package dev.phasegrad.nn;

import dev.phasegrad.stft.StftConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Small random-weight models for tests. */
final class TinyModels {
    private TinyModels() {
    }

    static PhaseModel tiny(StftConfig cfg, int stride, long seed) {
        int frames = stride == 1 ? 3 : 4;
        List<HeadSpec> heads = new ArrayList<>();
        for (int off = -(stride - 1); off <= 0; off++) {
            heads.add(new HeadSpec(HeadSpec.Target.DT, off, HeadSpec.Encoding.COS_SIN,
                    LayerSpec.conv(5, 2, 3, 1, LayerSpec.Activation.NONE, -1)));
            heads.add(new HeadSpec(HeadSpec.Target.DF, off, HeadSpec.Encoding.COS_SIN, LayerSpec.between(5, 2, 4)));
        }
        NetworkSpec net = new NetworkSpec(frames, List.of(
                LayerSpec.conv(frames, 5, 3, 1, LayerSpec.Activation.RELU, -1),
                LayerSpec.conv(5, 5, 3, 2, LayerSpec.Activation.RELU, 1),
                LayerSpec.gated(5, 5, 3, 1, 2)), heads);
        float[] p = new float[net.paramCount()];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (r.nextDouble() - 0.5);
        }
        return new PhaseModel(stride == 1 ? "proposed" : "proposed-strided", cfg, InputFeatures.DEFAULT, frames,
                stride, 0.9f, 12f, "test model", List.of(net), p);
    }

    static float[][] magnitudes(StftConfig cfg, int frames, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] m = new float[frames][cfg.bins()];
        for (float[] row : m) {
            for (int k = 0; k < row.length; k++) {
                row[k] = (float) (r.nextDouble() * r.nextDouble() * 3);
            }
        }
        return m;
    }
}
