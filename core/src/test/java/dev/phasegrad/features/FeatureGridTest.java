package dev.phasegrad.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.phasegrad.stft.Spectrogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FeatureGridTest {
    @ParameterizedTest
    @ValueSource(strings = {"hifigan", "vocos"})
    void trueSpectrumOnTheFeatureGridComesBackSampleAligned(String preset) throws Exception {
        FeatureSpec spec = FeatureSpec.preset(preset);
        float[] x = MelFixtureTest.clip(spec);
        Spectrogram s = new LogMelAnalysis(spec).spectrogram(x);
        float[] y = FeatureGrid.synthesise(s, spec, x.length);
        assertThat(y).hasSize(x.length);
        // perfect reconstruction up to the first and last sample (the ends normalised by their envelope)
        int n = spec.fftSize();
        double err = 0;
        double ref = 0;
        for (int i = 0; i < x.length; i++) {
            err = Math.max(err, Math.abs(y[i] - x[i]));
            ref = Math.max(ref, Math.abs(x[i]));
        }
        assertThat(err / ref).isLessThan(1e-5);
        // one sample of misalignment would be far off
        double shifted = 0;
        for (int i = n; i < x.length - n; i++) {
            shifted = Math.max(shifted, Math.abs(y[i] - x[i - 1]));
        }
        assertThat(shifted / ref).isGreaterThan(1e-2);
    }

    @Test
    void lengthsFollowTheReferenceVocoders() {
        // HiFi-GAN: floor(L / 256) frames, frames·256 samples out; Vocos: 1 + floor(L / 256) frames, (frames − 1)·256
        assertThat(FeatureSpec.HIFIGAN.frameCount(101_400)).isEqualTo(396);
        assertThat(FeatureGrid.outputLength(FeatureSpec.HIFIGAN, 396)).isEqualTo(396 * 256);
        assertThat(FeatureSpec.VOCOS.frameCount(110_400)).isEqualTo(432);
        assertThat(FeatureGrid.outputLength(FeatureSpec.VOCOS, 432)).isEqualTo(431 * 256);
        assertThat(FeatureSpec.HIFIGAN.gridOffsetSamples()).isEqualTo(384);
        assertThat(FeatureSpec.VOCOS.gridOffsetSamples()).isEqualTo(256);
    }

    @Test
    void customSpecsParseOnTopOfAPreset() {
        FeatureSpec s = FeatureSpec.parse("vocos,rate=22050,bands=80,fmax=8000");
        assertThat(s.name()).isEqualTo("custom");
        assertThat(s.sampleRate()).isEqualTo(22050);
        assertThat(s.bands()).isEqualTo(80);
        assertThat(s.scale()).isEqualTo(MelScale.HTK);
        assertThat(s.padding()).isEqualTo(512);
        assertThat(FeatureSpec.parse("hifigan")).isEqualTo(FeatureSpec.HIFIGAN);
        assertThat(FeatureSpec.parse("hifigan,fft=2048,hop=512").padding()).isEqualTo((2048 - 512) / 2);
        assertThatThrownBy(() -> FeatureSpec.parse("hifigan,bands=x")).hasMessageContaining("bands must be an integer");
        assertThatThrownBy(() -> FeatureSpec.parse("hifigan,colour=blue")).hasMessageContaining("unknown key 'colour'");
        assertThatThrownBy(() -> FeatureSpec.parse("melgan")).hasMessageContaining("unknown feature preset 'melgan'");
        assertThatThrownBy(() -> FeatureSpec.parse("vocos,fmax=13000")).hasMessageContaining("fmax");
    }
}
