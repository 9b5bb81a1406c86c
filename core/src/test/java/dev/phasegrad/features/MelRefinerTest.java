package dev.phasegrad.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.phasegrad.nn.HeadSpec;
import dev.phasegrad.nn.InputFeatures;
import dev.phasegrad.nn.LayerSpec;
import dev.phasegrad.nn.NetworkSpec;
import dev.phasegrad.nn.PhaseModel;
import dev.phasegrad.nn.runtime.NetworkDerivatives;
import dev.phasegrad.stft.StftConfig;
import dev.phasegrad.testing.Allocations;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MelRefinerTest {
    /** A refiner of the trained layout in miniature (3 frames, dilated ReLU trunk, value head), random weights. */
    static PhaseModel tiny(FeatureSpec spec, int iterations, long seed, boolean zeroHead) {
        NetworkSpec net = new NetworkSpec(
                3,
                List.of(
                        LayerSpec.conv(3, 4, 5, 1, LayerSpec.Activation.RELU, -1),
                        LayerSpec.conv(4, 4, 5, 2, LayerSpec.Activation.RELU, 1)),
                List.of(new HeadSpec(
                        HeadSpec.Target.LOG_MAGNITUDE,
                        0,
                        HeadSpec.Encoding.VALUE,
                        LayerSpec.conv(4, 1, 5, 1, LayerSpec.Activation.NONE, -1))));
        float[] p = new float[net.paramCount()];
        SplittableRandom r = new SplittableRandom(seed);
        int head = net.paramCount() - net.heads().get(0).layer().paramCount();
        for (int i = 0; i < (zeroHead ? head : p.length); i++) {
            p[i] = (float) (0.3 * (r.nextDouble() - 0.5));
        }
        return new PhaseModel(
                MelRefiner.KIND,
                spec.stft(),
                InputFeatures.DEFAULT.withScale(0.5f),
                3,
                1,
                1f,
                10f,
                "test refiner",
                List.of(net),
                spec,
                iterations,
                p);
    }

    @Test
    void aZeroHeadGivesBackTheFlooredNnlsMagnitude() throws IOException {
        FeatureSpec spec = FeatureSpec.HIFIGAN;
        float[][] mel = new LogMelAnalysis(spec).logMel(MelFixtureTest.clip(spec));
        MelRefiner refiner = new MelRefiner(tiny(spec, 20, 1, true));
        MelRefiner.Worker w = refiner.newWorker();
        MelInversion.Worker nnls = new MelInversion(spec, new MelFilterbank(spec), 20).newWorker();
        float[] out = new float[spec.bins()];
        float[] ref = new float[spec.bins()];
        for (int t = 0; t < mel.length; t += 7) {
            w.magnitude(mel[t], out);
            nnls.magnitude(mel[t], ref);
            float max = 0;
            for (float v : ref) {
                max = Math.max(max, v);
            }
            float floor = Math.max(1e-7f, 1e-4f * max);
            for (int k = 0; k < out.length; k++) {
                assertThat(out[k]).isCloseTo(Math.max(ref[k], floor), Percentage.withPercentage(1e-3));
            }
        }
    }

    @Test
    void streamingIsCausalResetRestartsAndAFrameAllocatesNothing() throws IOException {
        FeatureSpec spec = FeatureSpec.VOCOS;
        float[][] mel = new LogMelAnalysis(spec).logMel(MelFixtureTest.clip(spec));
        MelRefiner refiner = new MelRefiner(tiny(spec, 10, 2, false));
        MelRefiner.Worker w = refiner.newWorker();
        float[][] first = new float[mel.length][spec.bins()];
        for (int t = 0; t < mel.length; t++) {
            w.magnitude(mel[t], first[t]);
            for (float v : first[t]) {
                assertThat(v).isGreaterThanOrEqualTo(0f).isLessThan(Float.POSITIVE_INFINITY);
            }
        }
        // frame t depends on frames t-2..t only: a stream that starts 2 frames earlier agrees from there on
        int start = mel.length / 2;
        w.reset();
        float[] out = new float[spec.bins()];
        for (int t = start - 2; t < mel.length; t++) {
            w.magnitude(mel[t], out);
            if (t >= start) {
                assertThat(out).as("frame %d", t).containsExactly(first[t]);
            }
        }
        Runnable pass = () -> {
            w.reset();
            for (float[] f : mel) {
                w.magnitude(f, out);
            }
        };
        pass.run();
        assertThat(Allocations.steadyState(pass)).isZero();
    }

    @Test
    void fileRoundTripKeepsFeaturesIterationsAndOutput(@TempDir Path dir) throws IOException {
        FeatureSpec spec = FeatureSpec.parse("vocos,bands=80,fmax=8000");
        PhaseModel m = tiny(spec, 7, 3, false);
        Path file = dir.resolve("r.pgnn");
        m.write(file);
        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes[7]).as("version").isEqualTo((byte) 2);
        MelRefiner r = MelRefiner.read(file);
        assertThat(r.spec()).isEqualTo(spec);
        assertThat(r.model().nnlsIterations()).isEqualTo(7);
        assertThat(r.model().kind()).isEqualTo(MelRefiner.KIND);
        assertThat(r.model().toBytes()).isEqualTo(bytes);
        float[][] mel = new LogMelAnalysis(spec).logMel(MelFixtureTest.clip(FeatureSpec.VOCOS));
        MelRefiner.Worker a = new MelRefiner(m).newWorker();
        MelRefiner.Worker b = r.newWorker();
        float[] x = new float[spec.bins()];
        float[] y = new float[spec.bins()];
        for (float[] f : mel) {
            a.magnitude(f, x);
            b.magnitude(f, y);
            assertThat(y).containsExactly(x);
        }
    }

    @Test
    void phaseModelsStayVersion1AndTheTwoKindsAreNotInterchangeable() throws IOException {
        PhaseModel phase = PhaseModel.builtin("proposed", StftConfig.DEFAULT);
        byte[] bytes = phase.toBytes();
        assertThat(bytes[7]).as("version of a phase model").isEqualTo((byte) 1);
        assertThat(PhaseModel.read(new ByteArrayInputStream(bytes), "p").melFeatures())
                .isNull();
        assertThatThrownBy(() -> new MelRefiner(phase))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a mel refiner");
        PhaseModel refiner = tiny(FeatureSpec.HIFIGAN, 5, 4, false);
        assertThatThrownBy(() -> new NetworkDerivatives(refiner))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("refines mel magnitudes");
        byte[] newer = refiner.toBytes();
        newer[7] = 3;
        assertThatThrownBy(() -> PhaseModel.read(new ByteArrayInputStream(newer), "x.pgnn"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version 3");
        assertThatThrownBy(() -> new PhaseModel(
                        MelRefiner.KIND,
                        StftConfig.DEFAULT,
                        InputFeatures.DEFAULT,
                        3,
                        1,
                        1f,
                        1f,
                        "",
                        refiner.networks(),
                        FeatureSpec.HIFIGAN,
                        5,
                        refiner.params()))
                .hasMessageContaining("need STFT");
        assertThatThrownBy(() -> new PhaseModel(
                        MelRefiner.KIND,
                        FeatureSpec.HIFIGAN.stft(),
                        InputFeatures.DEFAULT,
                        3,
                        1,
                        1f,
                        1f,
                        "",
                        refiner.networks(),
                        null,
                        0,
                        refiner.params()))
                .hasMessageContaining("needs the mel features");
    }
}
