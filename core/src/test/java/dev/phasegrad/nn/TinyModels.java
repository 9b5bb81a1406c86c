package dev.phasegrad.nn;

import dev.phasegrad.stft.StftConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Small random-weight models for tests. */
public final class TinyModels {
    private TinyModels() {}

    public static PhaseModel tiny(StftConfig cfg, int stride, long seed) {
        int frames = stride == 1 ? 3 : 4;
        List<HeadSpec> heads = new ArrayList<>();
        for (int off = -(stride - 1); off <= 0; off++) {
            heads.add(new HeadSpec(
                    HeadSpec.Target.DT,
                    off,
                    HeadSpec.Encoding.COS_SIN,
                    LayerSpec.conv(5, 2, 3, 1, LayerSpec.Activation.NONE, -1)));
            heads.add(new HeadSpec(HeadSpec.Target.DF, off, HeadSpec.Encoding.COS_SIN, LayerSpec.between(5, 2, 4)));
        }
        NetworkSpec net = new NetworkSpec(
                frames,
                List.of(
                        LayerSpec.conv(frames, 5, 3, 1, LayerSpec.Activation.RELU, -1),
                        LayerSpec.conv(5, 5, 3, 2, LayerSpec.Activation.RELU, 1),
                        LayerSpec.gated(5, 5, 3, 1, 2)),
                heads);
        float[] p = random(net.paramCount(), seed);
        return new PhaseModel(
                stride == 1 ? "proposed" : "proposed-strided",
                cfg,
                InputFeatures.DEFAULT,
                frames,
                stride,
                0.9f,
                12f,
                "test model",
                List.of(net),
                p);
    }

    /** The prior-sota shape in miniature: one gated network per derivative, with residual skips and angle heads. */
    public static PhaseModel priorSotaShaped(StftConfig cfg, long seed) {
        List<NetworkSpec> nets = new ArrayList<>();
        for (HeadSpec.Target target : new HeadSpec.Target[] {HeadSpec.Target.DT, HeadSpec.Target.DF}) {
            LayerSpec head = target == HeadSpec.Target.DT
                    ? LayerSpec.conv(4, 1, 1, 1, LayerSpec.Activation.NONE, -1)
                    : LayerSpec.between(4, 1, 2);
            nets.add(new NetworkSpec(
                    4,
                    List.of(
                            LayerSpec.conv(4, 4, 1, 1, LayerSpec.Activation.NONE, -1),
                            LayerSpec.gated(4, 4, 5, 1, -1),
                            LayerSpec.gated(4, 4, 5, 1, 1)),
                    List.of(new HeadSpec(target, 0, HeadSpec.Encoding.ANGLE, head))));
        }
        return new PhaseModel(
                "prior-sota",
                cfg,
                new InputFeatures(InputFeatures.Mode.PER_FRAME_MEAN, 1e-4f, 1e-7f, 0.25f),
                4,
                1,
                1f,
                10f,
                "test model",
                nets,
                random(NetworkSpec.paramCount(nets), seed));
    }

    private static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] p = new float[n];
        for (int i = 0; i < n; i++) {
            p[i] = (float) (r.nextDouble() - 0.5);
        }
        return p;
    }

    public static float[][] magnitudes(StftConfig cfg, int frames, long seed) {
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
