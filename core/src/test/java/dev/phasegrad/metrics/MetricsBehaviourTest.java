package dev.phasegrad.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Behaviour beyond the 16 kHz fixtures: other rates, length handling, special values, bad input. */
class MetricsBehaviourTest {
    private static final String CLEAN = "auth-incorrect_clean.wav";
    private static final String NOISY = "auth-incorrect_noise10db.wav";
    /** pystoi 0.4.1 values of auth-incorrect/noise10db (reference.json). */
    private static final double FIXTURE_STOI = 0.867886;

    private static final double FIXTURE_ESTOI = 0.705578;

    private static double[] d(float[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i];
        }
        return y;
    }

    private static float[] f(double[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (float) x[i];
        }
        return y;
    }

    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {8000, 22050, 44100})
    void stoiOfASignalWithItselfIsOneAtOtherRates(int fs) {
        double[] x = new OctaveResampler(16000, fs).apply(d(TestAudio.wav(CLEAN)));
        assertThat(Stoi.stoi(x, x, fs)).isCloseTo(1.0, within(1e-9));
        assertThat(Stoi.estoi(x, x, fs)).isCloseTo(1.0, within(1e-9));
    }

    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {22050, 48000})
    void upsampledFixturePairScoresLikeTheOriginal(int fs) {
        // Upsampling keeps everything below 8 kHz, so the 10 kHz signals STOI sees are nearly the same.
        OctaveResampler up = new OctaveResampler(16000, fs);
        double[] x = up.apply(d(TestAudio.wav(CLEAN)));
        double[] y = up.apply(d(TestAudio.wav(NOISY)));
        assertThat(Stoi.stoi(x, y, fs)).isCloseTo(FIXTURE_STOI, within(2e-3));
        assertThat(Stoi.estoi(x, y, fs)).isCloseTo(FIXTURE_ESTOI, within(2e-3));
    }

    @Test
    void tenKilohertzInputIsUsedWithoutResampling() {
        OctaveResampler r = Stoi.resamplerFor(16000);
        double[] x16 = d(TestAudio.wav(CLEAN));
        double[] y16 = d(TestAudio.wav(NOISY));
        double[] x10 = r.apply(x16);
        double[] y10 = r.apply(y16);
        assertThat(Stoi.stoi(x10, y10, 10000)).isEqualTo(Stoi.stoi(x16, y16, 16000));
        assertThat(Stoi.estoi(x10, y10, 10000)).isEqualTo(Stoi.estoi(x16, y16, 16000));
    }

    @Test
    void longerSignalIsTrimmedAtTheEnd() {
        float[] x = TestAudio.wav(CLEAN);
        float[] y = TestAudio.wav(NOISY);
        float[] yLong = Arrays.copyOf(y, y.length + 3000);
        Arrays.fill(yLong, y.length, yLong.length, 0.3f);
        float[] xLong = Arrays.copyOf(x, x.length + 777);
        xLong[x.length + 5] = 0.9f;
        assertThat(Stoi.stoi(x, yLong, 16000)).isEqualTo(Stoi.stoi(x, y, 16000));
        assertThat(Stoi.estoi(xLong, y, 16000)).isEqualTo(Stoi.estoi(x, y, 16000));
        assertThat(SpectralConvergence.db(x, yLong)).isEqualTo(SpectralConvergence.db(x, y));
        assertThat(Snr.db(xLong, y)).isEqualTo(Snr.db(x, y));
        assertThat(LogSpectralDistance.db(x, yLong)).isEqualTo(LogSpectralDistance.db(x, y));
        assertThat(QualityScores.of(xLong, yLong, 16000))
                .isEqualTo(QualityScores.of(
                        Arrays.copyOf(xLong, xLong.length), Arrays.copyOf(yLong, xLong.length), 16000));
        assertThat(QualityScores.of(x, yLong, 16000)).isEqualTo(QualityScores.of(x, y, 16000));
    }

    @Test
    void tooLittleSpeechGivesPystoiSentinel() {
        // 0.3 s at 16 kHz -> 3000 samples at 10 kHz -> 22 STFT frames < 30.
        double[] x = OctaveResamplerTest.lcgNoise(4800);
        assertThat(Stoi.stoi(x, x, 16000)).isEqualTo(Stoi.TOO_SHORT);
        assertThat(Stoi.estoi(x, x, 16000)).isEqualTo(Stoi.TOO_SHORT);
        // Shorter than one frame: nothing to score either.
        assertThat(Stoi.stoi(new double[100], new double[100], 10000)).isEqualTo(Stoi.TOO_SHORT);
        // Long enough: 0.5 s of noise gives a real score.
        double[] z = OctaveResamplerTest.lcgNoise(8000);
        assertThat(Stoi.stoi(z, z, 16000)).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void silentInputsGiveFiniteScores() {
        double[] zero = new double[16000];
        double[] noise = OctaveResamplerTest.lcgNoise(16000);
        assertThat(Stoi.stoi(zero, zero, 16000)).isFinite();
        assertThat(Stoi.estoi(zero, zero, 16000)).isFinite();
        assertThat(Stoi.stoi(zero, noise, 16000)).isFinite();
        assertThat(Stoi.estoi(zero, noise, 16000)).isFinite();
        assertThat(Stoi.stoi(noise, zero, 16000)).isFinite();
        assertThat(Stoi.estoi(noise, zero, 16000)).isFinite();
        assertThat(SpectralConvergence.db(zero, zero, 512, 128)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(SpectralConvergence.db(zero, noise, 512, 128)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(SpectralConvergence.db(noise, zero, 512, 128)).isCloseTo(0.0, within(1e-12));
        assertThat(Snr.db(zero, zero)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Snr.db(zero, noise)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(Snr.db(noise, zero)).isCloseTo(0.0, within(1e-12));
        assertThat(LogSpectralDistance.db(zero, zero, 512, 128, 80)).isEqualTo(0.0);
        assertThat(LogSpectralDistance.db(zero, noise, 512, 128, 80)).isFinite().isPositive();
        assertThat(LogSpectralDistance.db(noise, zero, 512, 128, 80)).isFinite().isPositive();
    }

    @Test
    void snrOfAKnownError() {
        double[] x = OctaveResamplerTest.lcgNoise(1000);
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = 0.9 * x[i]; // error = 0.1 x -> 20 dB
        }
        assertThat(Snr.db(x, y)).isCloseTo(20.0, within(1e-9));
    }

    /** Direct O(N²) DFT of the definition, for small sizes. */
    private static double[][] naiveMag(double[] x, int n, int hop) {
        int frames = 1 + (x.length - n) / hop;
        double[][] m = new double[frames][n / 2 + 1];
        for (int t = 0; t < frames; t++) {
            for (int k = 0; k <= n / 2; k++) {
                double re = 0;
                double im = 0;
                for (int i = 0; i < n; i++) {
                    double w = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / n);
                    double v = w * x[t * hop + i];
                    re += v * Math.cos(2 * Math.PI * k * i / n);
                    im -= v * Math.sin(2 * Math.PI * k * i / n);
                }
                m[t][k] = Math.hypot(re, im);
            }
        }
        return m;
    }

    @Test
    void spectralConvergenceAndLsdMatchTheirDefinitionsOnOtherFraming() {
        int n = 64;
        int hop = 24;
        double[] x = OctaveResamplerTest.lcgNoise(1000);
        Random r = new Random(3);
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = 0.7 * x[i] + 0.2 * r.nextGaussian();
        }
        double[][] a = naiveMag(x, n, hop);
        double[][] b = naiveMag(y, n, hop);
        assertThat(a).hasNumberOfRows(1 + (1000 - 64) / 24);
        double num = 0;
        double den = 0;
        double peak = 0;
        for (int t = 0; t < a.length; t++) {
            for (int k = 0; k < a[t].length; k++) {
                num += (a[t][k] - b[t][k]) * (a[t][k] - b[t][k]);
                den += a[t][k] * a[t][k];
                peak = Math.max(peak, a[t][k] * a[t][k]);
            }
        }
        assertThat(SpectralConvergence.db(x, y, n, hop)).isCloseTo(10 * Math.log10(num / den), within(1e-9));

        double floorDb = 30; // high enough that the floor is actually hit in some cells
        double floor = peak * Math.pow(10, -floorDb / 10);
        double sumFrames = 0;
        int floored = 0;
        for (int t = 0; t < a.length; t++) {
            double s = 0;
            for (int k = 0; k < a[t].length; k++) {
                double pa = a[t][k] * a[t][k];
                double pb = b[t][k] * b[t][k];
                floored += (pa < floor || pb < floor) ? 1 : 0;
                double dd = 10 * Math.log10(Math.max(pa, floor)) - 10 * Math.log10(Math.max(pb, floor));
                s += dd * dd;
            }
            double dt = Math.sqrt(s / a[t].length);
            sumFrames += dt * dt;
        }
        assertThat(floored).isPositive();
        double lsd = Math.sqrt(sumFrames / a.length);
        assertThat(LogSpectralDistance.db(x, y, n, hop, floorDb)).isCloseTo(lsd, within(1e-9));
    }

    @Test
    void lsdOfAGainChangeIsTheGainInDb() {
        double[] x = OctaveResamplerTest.lcgNoise(8000);
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = 1.25 * x[i];
        }
        assertThat(LogSpectralDistance.db(x, y, 512, 128, 200)).isCloseTo(20 * Math.log10(1.25), within(1e-9));
        assertThat(LogSpectralDistance.db(f(x), f(x))).isEqualTo(0.0);
    }

    @Test
    void qualityScoresOfIdenticalSignals() {
        float[] x = TestAudio.wav(CLEAN);
        QualityScores q = QualityScores.of(x, x, 16000);
        assertThat(q.stoi()).isCloseTo(1.0, within(1e-9));
        assertThat(q.estoi()).isCloseTo(1.0, within(1e-9));
        assertThat(q.scDb()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(q.snrDb()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(q.lsdDb()).isEqualTo(0.0);
    }

    @Test
    void badInputIsRejectedWithAClearMessage() {
        float[] ok = new float[4000];
        float[] nan = new float[4000];
        nan[17] = Float.NaN;
        assertThatThrownBy(() -> Stoi.stoi(ok, nan, 16000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("degraded")
                .hasMessageContaining("17");
        assertThatThrownBy(() -> Stoi.estoi(null, ok, 16000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("clean");
        assertThatThrownBy(() -> Stoi.stoi(ok, ok, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sample rate");
        assertThatThrownBy(() -> Snr.db(new float[0], ok))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> SpectralConvergence.db(new float[300], new float[300]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("300")
                .hasMessageContaining("512");
        assertThatThrownBy(() -> SpectralConvergence.db(ok, ok, 511, 128))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("511");
        assertThatThrownBy(() -> SpectralConvergence.db(ok, ok, 512, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hop");
        assertThatThrownBy(() -> LogSpectralDistance.db(ok, ok, 512, 128, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("floorDb");
        float[] inf = new float[4000];
        inf[3] = Float.POSITIVE_INFINITY;
        assertThatThrownBy(() -> QualityScores.of(inf, ok, 16000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("clean");
    }
}
