package dev.phasegrad.derivatives;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.phasegrad.invert.PghiFixtures;
import dev.phasegrad.stft.Spectrogram;
import dev.phasegrad.stft.Stft;
import dev.phasegrad.stft.StftConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HeuristicDerivativesTest {

    /** Weighted mean of cos(est − true) over bins within 40 dB of their frame's peak. */
    static double[] correlations(float[][] mag, float[][] trueDt, float[][] trueDf, float[][] dt, float[][] df) {
        double sdt = 0, wdt = 0, sdf = 0, wdf = 0;
        for (int t = 1; t < mag.length; t++) {
            double thr = 0.01 * max(mag[t]);
            double thrPrev = 0.01 * max(mag[t - 1]);
            if (thr <= 0) {
                continue;
            }
            for (int k = 0; k < mag[t].length; k++) {
                if (mag[t][k] >= thr && mag[t - 1][k] >= thrPrev) {
                    sdt += mag[t][k] * Math.cos(dt[t][k] - trueDt[t][k]);
                    wdt += mag[t][k];
                }
                if (k + 1 < mag[t].length && mag[t][k] >= thr && mag[t][k + 1] >= thr) {
                    double w = Math.min(mag[t][k], mag[t][k + 1]);
                    sdf += w * Math.cos(df[t][k] - trueDf[t][k]);
                    wdf += w;
                }
            }
        }
        return new double[] {sdt / wdt, sdf / wdf};
    }

    static float max(float[] a) {
        float m = 0;
        for (float v : a) {
            m = Math.max(m, v);
        }
        return m;
    }

    @ParameterizedTest
    @CsvSource({"512,128,0", "512,128,1", "1024,256,0", "1024,256,1"})
    void heuristicCorrelatesPositivelyWithTheTruthOnSpeech(int n, int hop, int lookahead) {
        StftConfig c = StftConfig.of(n, hop);
        Spectrogram s = Stft.analyse(PghiFixtures.speech(), c);
        float[][] mag = s.magnitude();
        float[][] trueDt = PhaseDerivatives.timeDirection(s);
        float[][] trueDf = PhaseDerivatives.frequencyDirection(s);
        float[][] dt = new float[s.frames()][c.bins()];
        float[][] df = new float[s.frames()][c.bins() - 1];
        new HeuristicDerivatives(c, lookahead).estimate(mag, dt, df);
        double[] r = correlations(mag, trueDt, trueDf, dt, df);
        System.out.printf("heuristic %d/%d la=%d: corr dt %.3f df %.3f%n", n, hop, lookahead, r[0], r[1]);
        assertThat(r[0]).isGreaterThan(0.5);
        assertThat(r[1]).isGreaterThan(0.3);
    }
}
