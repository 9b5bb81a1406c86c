package dev.phasegrad.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phasegrad.testing.Allocations;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MelInversionTest {
    @ParameterizedTest
    @ValueSource(strings = {"hifigan", "vocos"})
    void nnlsFitsTheMelAndApproachesTheTrueMagnitude(String preset) throws Exception {
        FeatureSpec spec = FeatureSpec.preset(preset);
        float[] x = MelFixtureTest.clip(spec);
        LogMelAnalysis analysis = new LogMelAnalysis(spec);
        float[][] mel = analysis.logMel(x);
        float[][] truth = analysis.magnitude(x);
        MelInversion.Worker nnls = new MelInversion(spec).newWorker();
        MelInversion.Worker pinvOnly = new MelInversion(spec, analysis.filterbank(), 0).newWorker();
        float[] m = new float[spec.bins()];
        float[] p = new float[spec.bins()];
        double residual = 0;
        double pinvResidual = 0;
        double err = 0;
        double pinvErr = 0;
        double energy = 0;
        int top = (int) Math.ceil(spec.fMax() / (spec.sampleRate() / 2.0) * (spec.bins() - 1)) + 1;
        for (int t = 0; t < mel.length; t++) {
            nnls.magnitude(mel[t], m);
            residual += nnls.relativeResidual();
            pinvOnly.magnitude(mel[t], p);
            pinvResidual += pinvOnly.relativeResidual();
            for (int k = 0; k < m.length; k++) {
                assertThat(m[k]).isGreaterThanOrEqualTo(0f);
                if (k > top) {
                    assertThat(m[k]).as("bin %d above fmax", k).isZero();
                }
                err += sq(m[k] - truth[t][k]);
                pinvErr += sq(p[k] - truth[t][k]);
                energy += sq(truth[t][k]);
            }
        }
        // the fit to the mel is close to exact, and better than the clipped pseudo-inverse it starts from
        assertThat(residual / mel.length).isLessThan(1e-3).isLessThan(pinvResidual / mel.length / 10);
        assertThat(10 * Math.log10(err / energy)).isLessThan(10 * Math.log10(pinvErr / energy) - 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"hifigan", "vocos"})
    void aFrameAllocatesNothing(String preset) throws Exception {
        FeatureSpec spec = FeatureSpec.preset(preset);
        float[][] mel = new LogMelAnalysis(spec).logMel(MelFixtureTest.clip(spec));
        MelInversion.Worker w = new MelInversion(spec).newWorker();
        float[] out = new float[spec.bins()];
        Runnable pass = () -> {
            for (float[] f : mel) {
                w.magnitude(f, out);
            }
        };
        for (int i = 0; i < 3; i++) {
            pass.run();
        }
        assertThat(Allocations.steadyState(pass)).isZero();
    }

    private static double sq(double v) {
        return v * v;
    }
}
