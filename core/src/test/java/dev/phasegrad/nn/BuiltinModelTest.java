package dev.phasegrad.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phasegrad.derivatives.PhaseDerivatives;
import dev.phasegrad.nn.runtime.NetworkDerivatives;
import dev.phasegrad.stft.Spectrogram;
import dev.phasegrad.stft.Stft;
import dev.phasegrad.stft.StftConfig;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shipped models load, fit their budget, and predict derivatives close to the truth. */
class BuiltinModelTest {
    /** A voiced, vibrato, amplitude-modulated harmonic signal with a little noise. */
    static float[] voiced(int length) {
        SplittableRandom r = new SplittableRandom(1);
        float[] x = new float[length];
        double phase = 0;
        for (int i = 0; i < length; i++) {
            double f0 = 140 * (1 + 0.08 * Math.sin(2 * Math.PI * i / 6000.0));
            phase += 2 * Math.PI * f0 / 16000;
            double env = 0.55 + 0.45 * Math.sin(2 * Math.PI * i / 4000.0);
            double s = 0;
            for (int h = 1; h <= 25; h++) {
                s += Math.sin(h * phase) / h;
            }
            x[i] = (float) (0.1 * env * s + 0.001 * (r.nextDouble() - 0.5));
        }
        return x;
    }

    /** Magnitude-weighted mean cos(prediction − truth), Δt in [0] and Δf in [1]. */
    static double[] agreement(NetworkDerivatives nd, float[] signal) {
        StftConfig cfg = nd.config();
        Spectrogram s = Stft.analyse(signal, cfg);
        float[][] mag = s.magnitude();
        float[][] dt = PhaseDerivatives.timeDirection(s);
        float[][] df = PhaseDerivatives.frequencyDirection(s);
        int bins = cfg.bins();
        float[] pDt = new float[bins];
        float[] pDf = new float[bins - 1];
        float[] om = new float[bins];
        double[] c = new double[2];
        double[] w = new double[2];
        int out = 0;
        for (int t = 0; t < mag.length; t++) {
            if (!nd.push(mag[t], pDt, pDf, om)) {
                continue;
            }
            int f = out++;
            if (f == 0) {
                continue;
            }
            for (int k = 0; k < bins; k++) {
                double wk = Math.sqrt((double) mag[f][k] * mag[f - 1][k]);
                c[0] += wk * Math.cos(pDt[k] - dt[f][k]);
                w[0] += wk;
            }
            for (int k = 0; k + 1 < bins; k++) {
                double wk = Math.sqrt((double) mag[f][k] * mag[f][k + 1]);
                c[1] += wk * Math.cos(pDf[k] - df[f][k]);
                w[1] += wk;
            }
        }
        return new double[] {c[0] / w[0], c[1] / w[1]};
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "proposed 1024 256",
                "proposed-strided 1024 256",
                "proposed 512 128",
                "prior-sota 1024 256",
                "proposed 1024 256 22050"
            })
    void shippedModelPredictsDerivativesOfASyntheticVoice(String spec) {
        String[] f = spec.split(" ");
        String kind = f[0];
        StftConfig cfg = StftConfig.hann(Integer.parseInt(f[1]), Integer.parseInt(f[2]))
                .withSampleRate(f.length > 3 ? Integer.parseInt(f[3]) : 16000);
        PhaseModel m = PhaseModel.builtin(kind, cfg);
        assertThat(m.kind()).isEqualTo(kind);
        assertThat(m.config()).isEqualTo(cfg);
        assertThat(m.paramCount()).isLessThanOrEqualTo(kind.equals("prior-sota") ? 420_000 : 10_000);
        // 2 s of voice; 1 s for prior-sota, whose 210 M MAC per frame cost 14 ms
        double[] a =
                agreement(new NetworkDerivatives(m), voiced(cfg.sampleRate() * (kind.equals("prior-sota") ? 1 : 2)));
        System.out.printf("%s @ %s: weighted cos Δt %.4f, Δf %.4f%n", kind, cfg, a[0], a[1]);
        assertThat(a[0]).isGreaterThan(0.8);
        assertThat(a[1]).isGreaterThan(0.7);
    }
}
