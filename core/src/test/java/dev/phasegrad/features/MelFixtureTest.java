package dev.phasegrad.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phasegrad.audio.Audio;
import dev.phasegrad.audio.Npy;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The presets against the reference front ends (fixtures/mel: librosa / torchaudio filterbanks and
 * the HiFi-GAN / Vocos log-mel of one clip, computed independently in float64 numpy).
 */
class MelFixtureTest {
    static Path fixture(String name) {
        try {
            return Path.of(
                    MelFixtureTest.class.getResource("/fixtures/mel/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static float[] clip(FeatureSpec spec) throws IOException {
        Audio a = Audio.read(fixture("auth-incorrect-" + spec.sampleRate() + ".wav"));
        assertThat(a.sampleRate()).isEqualTo(spec.sampleRate());
        return a.samples();
    }

    @ParameterizedTest
    @ValueSource(strings = {"hifigan", "vocos"})
    void filterbankMatchesReferenceTo1e6(String preset) throws IOException {
        FeatureSpec spec = FeatureSpec.preset(preset);
        float[][] ref = Npy.read(fixture(preset + ".fbank.npy"));
        double[][] fb = new MelFilterbank(spec).dense();
        assertThat(fb.length).isEqualTo(ref.length);
        double worst = 0;
        for (int b = 0; b < fb.length; b++) {
            assertThat(fb[b].length).isEqualTo(ref[b].length);
            for (int k = 0; k < fb[b].length; k++) {
                worst = Math.max(worst, Math.abs(fb[b][k] - ref[b][k]));
            }
        }
        assertThat(worst).as("max |filterbank - reference|").isLessThanOrEqualTo(1e-6);
    }

    @ParameterizedTest
    @ValueSource(strings = {"hifigan", "vocos"})
    void logMelMatchesReferenceTo1e3(String preset) throws IOException {
        FeatureSpec spec = FeatureSpec.preset(preset);
        float[] x = clip(spec);
        float[][] ref = Npy.read(fixture(preset + ".logmel.npy"));
        float[][] got = new LogMelAnalysis(spec).logMel(x);
        assertThat(got.length).as("frames of %d samples", x.length).isEqualTo(ref.length);
        double worst = 0;
        for (int t = 0; t < got.length; t++) {
            for (int b = 0; b < got[t].length; b++) {
                worst = Math.max(worst, Math.abs(got[t][b] - ref[t][b]));
            }
        }
        assertThat(worst).as("max |log-mel - reference|").isLessThanOrEqualTo(1e-3);
    }
}
