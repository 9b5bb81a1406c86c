package dev.phasegrad.train;

import dev.phasegrad.features.FeatureSpec;
import dev.phasegrad.features.MelRefiner;
import dev.phasegrad.nn.HeadSpec;
import dev.phasegrad.nn.InputFeatures;
import dev.phasegrad.nn.LayerSpec;
import dev.phasegrad.nn.NetworkSpec;
import dev.phasegrad.nn.PhaseModel;
import dev.phasegrad.stft.StftConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The model families phasegrad trains, freshly initialised from a seed.
 *
 * <ul>
 *   <li>{@code proposed}: 4 input frames (t … t−3); trunk of 4 convolutions along frequency
 *       (22 channels, kernel 5, dilations 1, 1, 2, 4, ReLU, residual adds on the last two); two
 *       linear heads: Δt (kernel 3, K values) and Δf (kernel 4 between bins, K−1 values), each giving
 *       (cos, sin).</li>
 *   <li>{@code proposed-strided}: same trunk on 5 input frames (t+1 … t−3) and four heads, Δt and Δf
 *       of frames t and t+1; runs every second frame.</li>
 *   <li>{@code prior-sota}: Masuyama et al. (TASLP 2023) layout, one network per derivative:
 *       1×1 conv 4→64, gated conv k5, two residual blocks of two gated convs k5, linear 64→1 angle
 *       output (k=1 for Δt, k=2 between bins for Δf).</li>
 *   <li>{@code mel-refiner}: the log NNLS magnitude of frames t, t−1, t−2 in
 *       ({@link dev.phasegrad.features.MelRefiner}); trunk of 4 convolutions along frequency (16
 *       channels, kernel 5, dilations 1, 2, 4, 8, ReLU, residual adds on the last two: a receptive
 *       field of 61 bins, ±1.3 kHz at 22.05 kHz / 1024); one linear head (kernel 5) giving the
 *       log-magnitude correction per bin.</li>
 * </ul>
 */
public final class Architectures {
    public static final String PROPOSED = "proposed";
    public static final String STRIDED = "proposed-strided";
    public static final String PRIOR_SOTA = "prior-sota";
    public static final String MEL_REFINER = MelRefiner.KIND;
    /** Input frames of a mel refiner: the current one and two past ones. */
    public static final int REFINER_FRAMES = 3;

    /** Default LS integration settings stored until tuned. */
    public static final float DEFAULT_P = 1f;

    public static final float DEFAULT_GAMMA0 = 10f;

    private Architectures() {}

    public static PhaseModel create(String kind, StftConfig config, int channels, long seed) {
        List<NetworkSpec> nets = new ArrayList<>();
        int inputFrames;
        int stride;
        InputFeatures features = InputFeatures.DEFAULT;
        switch (kind) {
            case PROPOSED:
                inputFrames = 4;
                stride = 1;
                nets.add(tiny(inputFrames, channels, 1));
                break;
            case STRIDED:
                inputFrames = 5;
                stride = 2;
                nets.add(tiny(inputFrames, channels, 2));
                break;
            case PRIOR_SOTA:
                inputFrames = 4;
                stride = 1;
                features = new InputFeatures(InputFeatures.Mode.PER_FRAME_MEAN, 1e-4f, 1e-7f, 0.25f);
                nets.add(masuyama(inputFrames, channels, HeadSpec.Target.DT));
                nets.add(masuyama(inputFrames, channels, HeadSpec.Target.DF));
                break;
            case MEL_REFINER:
                throw new IllegalArgumentException("a " + MEL_REFINER + " needs its mel features: use createRefiner");
            default:
                throw new IllegalArgumentException("unknown model kind '" + kind + "'; known: " + PROPOSED + ", "
                        + STRIDED + ", " + PRIOR_SOTA + ", " + MEL_REFINER);
        }
        PhaseModel shape = new PhaseModel(
                kind,
                config,
                features,
                inputFrames,
                stride,
                DEFAULT_P,
                DEFAULT_GAMMA0,
                "untrained",
                nets,
                new float[NetworkSpec.paramCount(nets)]);
        return shape.withParams(initialise(shape, seed));
    }

    /**
     * A mel refiner for {@code features}, freshly initialised; its input is the NNLS magnitude after
     * {@code nnlsIterations} iterations. The head starts at zero, so the untrained refiner returns the
     * (floored) NNLS magnitude and training starts from the baseline.
     */
    public static PhaseModel createRefiner(FeatureSpec features, int nnlsIterations, int channels, long seed) {
        int c = channels;
        List<LayerSpec> trunk = List.of(
                LayerSpec.conv(REFINER_FRAMES, c, 5, 1, LayerSpec.Activation.RELU, -1),
                LayerSpec.conv(c, c, 5, 2, LayerSpec.Activation.RELU, -1),
                LayerSpec.conv(c, c, 5, 4, LayerSpec.Activation.RELU, 2),
                LayerSpec.conv(c, c, 5, 8, LayerSpec.Activation.RELU, 3));
        HeadSpec head = new HeadSpec(
                HeadSpec.Target.LOG_MAGNITUDE,
                0,
                HeadSpec.Encoding.VALUE,
                LayerSpec.conv(c, 1, 5, 1, LayerSpec.Activation.NONE, -1));
        List<NetworkSpec> nets = List.of(new NetworkSpec(REFINER_FRAMES, trunk, List.of(head)));
        PhaseModel shape = new PhaseModel(
                MEL_REFINER,
                features.stft(),
                InputFeatures.DEFAULT,
                REFINER_FRAMES,
                1,
                DEFAULT_P,
                DEFAULT_GAMMA0,
                "untrained",
                nets,
                features,
                nnlsIterations,
                new float[NetworkSpec.paramCount(nets)]);
        float[] p = initialise(shape, seed);
        int headOff = shape.headOffset(0, 0);
        Arrays.fill(p, headOff, headOff + head.layer().paramCount(), 0f);
        return shape.withParams(p);
    }

    /** Default channel width of each family. */
    public static int defaultChannels(String kind) {
        return switch (kind) {
            case PRIOR_SOTA -> 64;
            case MEL_REFINER -> 16;
            default -> 22;
        };
    }

    private static NetworkSpec tiny(int inFrames, int c, int stride) {
        List<LayerSpec> trunk = List.of(
                LayerSpec.conv(inFrames, c, 5, 1, LayerSpec.Activation.RELU, -1),
                LayerSpec.conv(c, c, 5, 1, LayerSpec.Activation.RELU, -1),
                LayerSpec.conv(c, c, 5, 2, LayerSpec.Activation.RELU, 2),
                LayerSpec.conv(c, c, 5, 4, LayerSpec.Activation.RELU, 3));
        List<HeadSpec> heads = new ArrayList<>();
        for (int off = -(stride - 1); off <= 0; off++) {
            heads.add(new HeadSpec(
                    HeadSpec.Target.DT,
                    off,
                    HeadSpec.Encoding.COS_SIN,
                    LayerSpec.conv(c, 2, 3, 1, LayerSpec.Activation.NONE, -1)));
            heads.add(new HeadSpec(HeadSpec.Target.DF, off, HeadSpec.Encoding.COS_SIN, LayerSpec.between(c, 2, 4)));
        }
        return new NetworkSpec(inFrames, trunk, heads);
    }

    private static NetworkSpec masuyama(int inFrames, int c, HeadSpec.Target target) {
        List<LayerSpec> trunk = List.of(
                LayerSpec.conv(inFrames, c, 1, 1, LayerSpec.Activation.NONE, -1),
                LayerSpec.gated(c, c, 5, 1, -1),
                LayerSpec.gated(c, c, 5, 1, -1),
                LayerSpec.gated(c, c, 5, 1, 2),
                LayerSpec.gated(c, c, 5, 1, -1),
                LayerSpec.gated(c, c, 5, 1, 4));
        LayerSpec head = target == HeadSpec.Target.DT
                ? LayerSpec.conv(c, 1, 1, 1, LayerSpec.Activation.NONE, -1)
                : LayerSpec.between(c, 1, 2);
        return new NetworkSpec(inFrames, trunk, List.of(new HeadSpec(target, 0, HeadSpec.Encoding.ANGLE, head)));
    }

    /**
     * He-uniform weights for ReLU layers, fan-in scaled uniform weights elsewhere, zero biases; layers
     * that end a residual branch start at half scale so the sum keeps its variance early on.
     */
    public static float[] initialise(PhaseModel shape, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] p = new float[shape.paramCount()];
        List<NetworkSpec> nets = shape.networks();
        for (int n = 0; n < nets.size(); n++) {
            NetworkSpec net = nets.get(n);
            for (int i = 0; i < net.trunk().size(); i++) {
                LayerSpec l = net.trunk().get(i);
                double gain = l.kind() == LayerSpec.Kind.CONV && l.activation() == LayerSpec.Activation.RELU ? 6 : 3;
                if (l.skipFrom() >= 0) {
                    gain *= 0.25;
                }
                fill(rnd, p, shape.trunkOffset(n, i), l, gain);
            }
            for (int h = 0; h < net.heads().size(); h++) {
                fill(rnd, p, shape.headOffset(n, h), net.heads().get(h).layer(), 3);
            }
        }
        return p;
    }

    private static void fill(SplittableRandom rnd, float[] p, int off, LayerSpec l, double gain) {
        double bound = Math.sqrt(gain / (l.inChannels() * l.kernel()));
        for (int i = 0; i < l.weightCount(); i++) {
            p[off + i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
        }
    }
}
