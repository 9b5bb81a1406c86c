package dev.phasegrad.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shipped refiners load, match their presets, stay small, and improve on NNLS on the fixture clip. */
class BuiltinMelRefinerTest {
    @ParameterizedTest
    @ValueSource(strings = {"hifigan", "vocos"})
    void shippedRefinerBeatsNnlsOnTheFixtureClip(String preset) throws Exception {
        FeatureSpec spec = FeatureSpec.preset(preset);
        MelRefiner r = MelRefiner.builtin(preset);
        assertThat(r.spec()).isEqualTo(spec);
        assertThat(r.model().kind()).isEqualTo(MelRefiner.KIND);
        assertThat(r.model().paramCount()).isLessThanOrEqualTo(40_000);
        float[] x = MelFixtureTest.clip(spec);
        LogMelAnalysis analysis = new LogMelAnalysis(spec);
        float[][] mel = analysis.logMel(x);
        float[][] truth = analysis.magnitude(x);
        MelRefiner.Worker w = r.newWorker();
        float[] m = new float[spec.bins()];
        double errRefined = 0;
        double errNnls = 0;
        double energy = 0;
        for (int t = 0; t < mel.length; t++) {
            w.magnitude(mel[t], m);
            float[] n = w.lastNnls();
            for (int k = 0; k < m.length; k++) {
                errRefined += sq(m[k] - truth[t][k]);
                errNnls += sq(n[k] - truth[t][k]);
                energy += sq(truth[t][k]);
            }
        }
        // spectral convergence of the magnitude itself, in dB: lower is better
        assertThat(10 * Math.log10(errRefined / energy)).isLessThan(10 * Math.log10(errNnls / energy));
    }

    @ParameterizedTest
    @ValueSource(strings = {"no-such-preset"})
    void aPresetWithoutARefinerIsAClearError(String preset) {
        assertThatThrownBy(() -> MelRefiner.builtin(preset))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no built-in mel refiner for features 'no-such-preset'");
    }

    private static double sq(double v) {
        return v * v;
    }
}
