package dev.phasegrad.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Runs every benchmark body once outside JMH (no timing) so the benchmarks keep compiling and keep
 * measuring correct work: each call's result is checked against an independent expectation.
 */
class BenchmarksSmokeTest {
    @Test
    void tridiagonalAndDenseSolveTheSameSpeechSystem() {
        SolverBenchmark b = new SolverBenchmark();
        b.setup();
        assertThat(b.diag).hasSize(SolverBenchmark.UNKNOWNS);
        b.dense();
        double[] denseRe = b.xRe.clone();
        double[] denseIm = b.xIm.clone();
        b.tridiagonal();
        double num = 0;
        double den = 0;
        for (int k = 0; k < SolverBenchmark.UNKNOWNS; k++) {
            double dr = b.xRe[k] - denseRe[k];
            double di = b.xIm[k] - denseIm[k];
            num += dr * dr + di * di;
            den += denseRe[k] * denseRe[k] + denseIm[k] * denseIm[k];
        }
        assertThat(den).as("the loudest frame's solution is not zero").isGreaterThan(0);
        assertThat(Math.sqrt(num / den)).isLessThan(1e-9);
    }

    @ParameterizedTest
    @CsvSource({
        "ls-heuristic, 512/128",
        "ls-heuristic, 1024/256",
        "ls-oracle, 512/128",
        "rtpghi, 512/128",
        "rtpghi, 1024/256",
        "spsi, 512/128",
        "rtisi-la, 512/128",
    })
    void inverterPushWritesFramesWithTheGivenMagnitude(String method, String stft) {
        InverterBenchmark b = new InverterBenchmark();
        b.method = method;
        b.stft = stft;
        b.setup();
        int frames = b.clip.frames();
        int written = 0;
        double worst = 0;
        // more than one pass over the clip, so the wrap-around reset runs too
        for (int i = 0; i < frames + 5; i++) {
            int t = b.frame == frames ? 0 : b.frame;
            if (b.push()) {
                written++;
                int out = t - b.inverter.lookahead();
                if (out >= 0) {
                    float[] m = b.clip.magnitude(out);
                    for (int k = 0; k < m.length; k++) {
                        double r = Math.hypot(b.re[k], b.im[k]);
                        // NaN must fail too
                        double err = Math.abs(r - m[k]) / (1 + m[k]);
                        worst = err <= worst ? worst : err;
                    }
                }
            }
        }
        assertThat(written).isGreaterThan(frames - 5);
        assertThat(worst).as("largest |out| - magnitude error").isLessThan(1e-4);
    }

    @ParameterizedTest
    @CsvSource({"512/128", "1024/256"})
    void streamingStftMatchesBatchAnalysisAndIstftRuns(String stft) {
        StftBenchmark b = new StftBenchmark();
        b.stft = stft;
        b.setup();
        int t = 0;
        for (; t < 40; t++) {
            b.stftPush();
        }
        float[] re = b.clip.truth().re()[t - 1];
        float[] im = b.clip.truth().im()[t - 1];
        double worstRe = 0;
        for (int k = 0; k < re.length; k++) {
            double e = Math.max(
                    Math.abs(b.re[k] - re[k]) / (1 + Math.abs(re[k])),
                    Math.abs(b.im[k] - im[k]) / (1 + Math.abs(im[k])));
            worstRe = e <= worstRe ? worstRe : e;
        }
        assertThat(worstRe).as("streaming vs batch STFT").isLessThan(1e-3);
        // after the first N/H − 1 frames the overlap-add is complete and reproduces the clip
        int hop = b.clip.config().hop();
        int lag = b.clip.config().fftSize() - hop;
        double worstSample = 0;
        int compared = 0;
        for (int f = 0; f < 40; f++) {
            b.istftPush();
            int start = f * hop - lag;
            if (start >= 0) {
                for (int i = 0; i < hop; i++) {
                    double e = Math.abs(b.hop[i] - b.clip.signal()[start + i]);
                    worstSample = e <= worstSample ? worstSample : e;
                    compared++;
                }
            }
        }
        assertThat(compared).isGreaterThan(0);
        assertThat(worstSample).as("ISTFT of the true STFT vs the clip").isLessThan(1e-4);
    }
}
