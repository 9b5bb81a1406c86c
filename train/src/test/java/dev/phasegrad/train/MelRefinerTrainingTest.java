package dev.phasegrad.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.phasegrad.audio.Audio;
import dev.phasegrad.features.FeatureSpec;
import dev.phasegrad.features.MelRefiner;
import dev.phasegrad.nn.PhaseModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A mel refiner trained for seconds on synthetic harmonic voices with small mel features. */
class MelRefinerTrainingTest {
    /** 16 kHz, 128/32, 16 Slaney bands to 6 kHz: bins above fMax have no mel information. */
    private static final FeatureSpec SPEC = FeatureSpec.parse("hifigan,rate=16000,fft=128,hop=32,bands=16,fmax=6000");

    private static List<Example> examples(PhaseModel arch, long seed0, int files) {
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            out.addAll(Corpus.melExamples(
                    "v" + i,
                    TrainerTest.voice(seed0 + i, 8000),
                    arch,
                    0.6,
                    new SplittableRandom(i),
                    TrainConfig.DEFAULT_WEIGHT_POWER));
        }
        return out;
    }

    private static TrainConfig config(Path out) {
        TrainConfig c = new TrainConfig()
                .kind(Architectures.MEL_REFINER)
                .features(SPEC)
                .channels(6)
                .epochs(4)
                .batch(8)
                .learningRate(5e-3)
                .seed(3)
                .threads(2)
                .outDir(out);
        c.nnlsIterations = 20;
        c.warmupSteps = 5;
        return c;
    }

    @Test
    void trainingLowersTheValidationLossBelowNnlsAndWritesALoadableRefiner(@TempDir Path dir) throws IOException {
        TrainConfig c = config(dir);
        c.validate();
        PhaseModel arch = Trainer.initialModel(c);
        assertThat(arch.refinesMagnitude()).isTrue();
        List<Example> train = examples(arch, 10, 6);
        List<Example> val = examples(arch, 100, 2);
        assertThat(train).isNotEmpty();
        // the untrained refiner (zero head) is NNLS itself: its validation loss is NNLS's
        double nnls = 0;
        double weights = 0;
        for (Example e : val) {
            for (int k = 0; k < e.logResidual.length; k++) {
                nnls += e.magnitudeWeight[k] * Math.abs(e.logResidual[k]);
                weights += e.magnitudeWeight[k];
            }
        }
        nnls /= weights;
        Trainer.Result r = Trainer.run(c, arch, train, val, new ProgressListener() {});
        assertThat(r.history).hasSize(4);
        double last = r.history.get(3).validationLoss;
        assertThat(last).isLessThan(0.7 * nnls);
        assertThat(r.history.get(0).toString()).doesNotContain("cos");
        MelRefiner refiner = new MelRefiner(PhaseModel.read(dir.resolve("best.pgnn")));
        assertThat(refiner.spec()).isEqualTo(SPEC);
        assertThat(refiner.model().nnlsIterations()).isEqualTo(20);
        assertThat(Files.readString(dir.resolve(RunSettings.FILE)))
                .contains("--features")
                .contains("--loss\tL1");

        // scored with the true phase, the refined magnitude beats NNLS on held-out voices
        List<Audio> audio = List.of(
                new Audio(TrainerTest.voice(200, 16000), 16000), new Audio(TrainerTest.voice(201, 16000), 16000));
        MelRefinerEvaluation.Result res = MelRefinerEvaluation.evaluate(refiner, audio);
        assertThat(res.refined.mean().lsdDb()).isLessThan(res.nnls.mean().lsdDb());
        assertThat(res.truth.mean().estoi()).isGreaterThan(0.99);
    }

    @Test
    void aRefinerNeedsFeaturesAndFeaturesNeedARefiner() {
        TrainConfig none = new TrainConfig().kind(Architectures.MEL_REFINER);
        assertThatThrownBy(none::validate).hasMessageContaining("needs the mel features");
        TrainConfig phase = new TrainConfig().features(SPEC);
        assertThatThrownBy(phase::validate)
                .hasMessageContaining("needs both the features and their mel → magnitude step");
    }
}
