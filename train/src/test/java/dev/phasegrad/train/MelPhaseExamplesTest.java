package dev.phasegrad.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.phasegrad.MelVocoder;
import dev.phasegrad.derivatives.PhaseDerivatives;
import dev.phasegrad.features.FeatureSpec;
import dev.phasegrad.features.LogMelAnalysis;
import dev.phasegrad.features.MelInversion;
import dev.phasegrad.features.MelToMagnitude;
import dev.phasegrad.nn.InputFeatures;
import dev.phasegrad.nn.PhaseModel;
import dev.phasegrad.stft.Spectrogram;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A phase model of the mel path learns from what it will be fed: the magnitude the vocoder's mel →
 * magnitude step streams from the log-mel, on the features' own grid, with targets from the true
 * spectrogram on that grid.
 */
class MelPhaseExamplesTest {
    @Test
    void inputIsTheVocodersStreamedMagnitudeAndTargetsTheTruePhaseOnTheFeatureGrid() {
        FeatureSpec spec = FeatureSpec.HIFIGAN;
        float[] x = TrainerTest.voice(3, 22050);
        MelToMagnitude step = MelVocoder.Builder.defaultMelToMagnitude(spec);
        PhaseModel arch = Architectures.create(Architectures.PROPOSED, spec.stft(), 4, 1);
        List<Example> ex = Corpus.melPhaseExamples("v", x, arch, step, 1.0, new SplittableRandom(1));
        assertThat(ex).hasSizeGreaterThan(20);

        LogMelAnalysis analysis = new LogMelAnalysis(spec);
        float[][] mel = analysis.logMel(x);
        Spectrogram truth = analysis.spectrogram(x);
        float[][] streamed = new float[mel.length][spec.bins()];
        MelToMagnitude.Worker w = step.newWorker();
        for (int t = 0; t < mel.length; t++) {
            w.magnitude(mel[t], streamed[t]);
        }
        InputFeatures features = arch.features();
        int bins = spec.bins();
        float[] log = new float[bins];
        float[] prev = new float[bins];
        float[] cur = new float[bins];
        float[] dt = new float[bins];
        for (Example e : ex) {
            int n = e.newest;
            features.logFrame(streamed[n], bins, log);
            assertThat(e.utterance.log[n]).as("input of frame " + n).containsExactly(log);
            for (int k = 0; k < bins; k++) {
                prev[k] = (float) Math.atan2(truth.im()[n - 1][k], truth.re()[n - 1][k]);
                cur[k] = (float) Math.atan2(truth.im()[n][k], truth.re()[n][k]);
            }
            PhaseDerivatives.timeDirection(prev, cur, spec.stft(), dt);
            for (int k = 0; k < bins; k += 37) {
                assertThat(e.cdt[0][k]).isEqualTo((float) Math.cos(dt[k]));
            }
        }
    }

    @Test
    void aMelPathRunNeedsTheFeaturesAndAStepForThem() {
        TrainConfig c = new TrainConfig().features(FeatureSpec.HIFIGAN);
        assertThatThrownBy(c::validate).hasMessageContaining("needs both the features and their mel");
        c.melInput = new MelInversion(FeatureSpec.VOCOS);
        assertThatThrownBy(c::validate).hasMessageContaining("reads vocos features");
        c.melInput = new MelInversion(FeatureSpec.HIFIGAN);
        c.validate();
    }
}
