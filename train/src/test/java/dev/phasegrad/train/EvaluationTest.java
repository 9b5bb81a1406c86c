package dev.phasegrad.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phasegrad.derivatives.DerivativeEstimator;
import dev.phasegrad.derivatives.PhaseDerivatives;
import dev.phasegrad.derivatives.PhaseMath;
import dev.phasegrad.invert.StreamingInverter;
import dev.phasegrad.stft.Spectrogram;
import dev.phasegrad.stft.Stft;
import dev.phasegrad.stft.StftConfig;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluationTest {
    private static final StftConfig CFG = StftConfig.hann(512, 128);

    /** True derivatives of a known spectrogram (optionally with look-ahead, to test the replay). */
    static final class Truth implements DerivativeEstimator {
        final float[][] dt;
        final float[][] df;
        final float[][] mag;
        final int la;
        int t;

        Truth(Spectrogram s, int lookahead) {
            dt = PhaseDerivatives.timeDirection(s);
            df = PhaseDerivatives.frequencyDirection(s);
            mag = s.magnitude();
            la = lookahead;
        }

        public StftConfig config() {
            return CFG;
        }

        public int lookahead() {
            return la;
        }

        public boolean push(float[] m, float[] oDt, float[] oDf, float[] oMag) {
            int f = t++ - la;
            if (f < 0) {
                return false;
            }
            System.arraycopy(dt[f], 0, oDt, 0, oDt.length);
            System.arraycopy(df[f], 0, oDf, 0, oDf.length);
            System.arraycopy(mag[f], 0, oMag, 0, oMag.length);
            return true;
        }

        public void reset() {
            t = 0;
        }

        public int stateBytes() {
            return Integer.BYTES;
        }

        public void saveState(ByteBuffer out) {
            out.putInt(t);
        }

        public void restoreState(ByteBuffer in) {
            t = in.getInt();
        }
    }

    /** Test integrator: time direction only, φ_t = φ_{t−1} + Δt + 2πkH/N; p, γ₀ ignored unless γ₀ = 0 zeroes Δt. */
    static StreamingInverter phaseVocoder(DerivativeEstimator d, double p, double gamma0) {
        return new StreamingInverter() {
            final int bins = CFG.bins();
            final float[] dt = new float[bins];
            final float[] df = new float[bins - 1];
            final float[] m = new float[bins];
            final double[] phase = new double[bins];

            public String name() {
                return "pv";
            }

            public StftConfig config() {
                return CFG;
            }

            public int lookahead() {
                return d.lookahead();
            }

            public boolean push(float[] mag, float[] re, float[] im) {
                if (!d.push(mag, dt, df, m)) {
                    return false;
                }
                for (int k = 0; k < bins; k++) {
                    phase[k] += (gamma0 == 0 ? 0 : dt[k]) + PhaseMath.binAdvance(k, CFG.hop(), CFG.fftSize());
                    re[k] = (float) (m[k] * Math.cos(phase[k]));
                    im[k] = (float) (m[k] * Math.sin(phase[k]));
                }
                return true;
            }

            public void reset() {
                d.reset();
                Arrays.fill(phase, 0);
            }

            public int stateBytes() {
                return d.stateBytes() + bins * Double.BYTES;
            }

            public void saveState(ByteBuffer out) {
                d.saveState(out);
                for (double v : phase) {
                    out.putDouble(v);
                }
            }

            public void restoreState(ByteBuffer in) {
                d.restoreState(in);
                for (int k = 0; k < bins; k++) {
                    phase[k] = in.getDouble();
                }
            }
        };
    }

    @Test
    void replayedTrueDerivativesScoreHighAndTheGridFindsTheUsefulSetting() {
        float[] x = TrainerTest.voice(4, 16000 * 3);
        Spectrogram s = Stft.analyse(x, CFG);
        for (int la : new int[] {0, 1}) {
            Evaluation.Cached c = Evaluation.cache(new Truth(s, la), x);
            Evaluation.Scores good = Evaluation.score(List.of(c), EvaluationTest::phaseVocoder, 1, 1);
            Evaluation.Scores bad = Evaluation.score(List.of(c), EvaluationTest::phaseVocoder, 1, 0);
            assertThat(good.estoi).as("look-ahead " + la).isGreaterThan(0.95);
            assertThat(good.scDb).isLessThan(-20);
            assertThat(bad.estoi).isLessThan(good.estoi - 0.05);
            Evaluation.Tuning t =
                    Evaluation.tune(List.of(c), EvaluationTest::phaseVocoder, new double[] {1}, new double[] {0, 3});
            assertThat(t.gamma0).isEqualTo(3);
            assertThat(t.table).contains("gamma0");
        }
    }
}
