package dev.phasegrad.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResamplerTest {
    /** Output samples ignored at each end, well beyond the filter's half length (≤ 110 here). */
    private static final int MARGIN = 250;

    private static float[] sine(double freq, int rate, int n, double amp, double phase) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (amp * Math.sin(2 * Math.PI * freq * i / rate + phase));
        }
        return x;
    }

    private static double rms(float[] x, int from, int to) {
        double e = 0;
        for (int i = from; i < to; i++) {
            e += (double) x[i] * x[i];
        }
        return Math.sqrt(e / (to - from));
    }

    private static double db(double ratio) {
        return 20 * Math.log10(ratio);
    }

    @ParameterizedTest(name = "{0} -> {1} Hz, tone {2} Hz")
    @CsvSource({
        "44100, 16000, 1000",
        "44100, 16000, 7200",
        "22050, 16000, 3000",
        "22050, 16000, 7200",
        "48000, 16000, 440",
        "48000, 16000, 7200",
        "48000, 8000, 3600",
        "8000, 16000, 1000",
        "8000, 16000, 3600",
        "16000, 44100, 5000",
        "16000, 48000, 7200",
        "44101, 16000, 2500", // L = 16000: phases computed per sample instead of tabulated
    })
    void passbandToneKeepsAmplitudeFrequencyAndTiming(int in, int out, double freq) {
        double amp = 0.5;
        double phase = 0.3;
        int n = in / 2;
        float[] y = Resampler.resample(sine(freq, in, n, amp, phase), in, out);
        assertThat(y.length).isEqualTo((int) Math.round((double) n * out / in));

        // Least-squares amplitude at the expected frequency, and the error against the ideal
        // band-limited output sampled at exactly the same instants (zero delay).
        double sc = 0;
        double ss = 0;
        double cc = 0;
        double s2 = 0;
        double errE = 0;
        double refE = 0;
        for (int m = MARGIN; m < y.length - MARGIN; m++) {
            double w = 2 * Math.PI * freq * m / out + phase;
            double s = Math.sin(w);
            double c = Math.cos(w);
            ss += y[m] * s;
            cc += y[m] * c;
            s2 += s * s;
            sc += c * c;
            double ideal = amp * s;
            errE += (y[m] - ideal) * (y[m] - ideal);
            refE += ideal * ideal;
        }
        double fitted = Math.hypot(ss / s2, cc / sc);
        double ampErrDb = Math.abs(db(fitted / amp));
        double errDb = 10 * Math.log10(errE / refE);
        System.out.printf(
                "passband %d->%d tone %.0f Hz: amplitude error %.5f dB, error vs ideal %.1f dB%n",
                in, out, freq, ampErrDb, errDb);
        assertThat(ampErrDb).isLessThan(0.1);
        // Wrong frequency or a delay of even 1/100 sample would show up here far above -70 dB.
        assertThat(errDb).isLessThan(-70);
    }

    @ParameterizedTest(name = "{0} -> {1} Hz, tone {2} Hz")
    @CsvSource({
        "48000, 16000, 8020",
        "48000, 16000, 8100",
        "48000, 16000, 9000",
        "48000, 16000, 20000",
        "48000, 8000, 4500",
        "48000, 8000, 7500",
        "44100, 16000, 8200",
        "44100, 16000, 15000",
        "22050, 16000, 8500",
        "22050, 16000, 10000",
        "44101, 16000, 9000",
    })
    void toneAboveNewNyquistIsRemoved(int in, int out, double freq) {
        float[] x = sine(freq, in, in / 2, 0.5, 0);
        float[] y = Resampler.resample(x, in, out);
        double attenuation = -db(rms(y, MARGIN, y.length - MARGIN) / rms(x, 0, x.length));
        System.out.printf("stopband %d->%d tone %.0f Hz: attenuation %.1f dB%n", in, out, freq, attenuation);
        assertThat(attenuation).isGreaterThanOrEqualTo(80);
    }

    @ParameterizedTest(name = "{0} -> {1} Hz, tone {2} Hz")
    @CsvSource({
        "8000, 16000, 3000",
        "8000, 16000, 3600",
        "16000, 48000, 7000",
        "16000, 22050, 6000",
    })
    void upsamplingAddsNoImages(int in, int out, double freq) {
        // Images would sit at in - freq (and beyond); the error against the ideal tone captures them.
        float[] y = Resampler.resample(sine(freq, in, in / 2, 0.5, 0), in, out);
        float[] ideal = sine(freq, out, y.length, 0.5, 0);
        double err = 0;
        double ref = 0;
        for (int m = MARGIN; m < y.length - MARGIN; m++) {
            err += (y[m] - ideal[m]) * (double) (y[m] - ideal[m]);
            ref += (double) ideal[m] * ideal[m];
        }
        double errDb = 10 * Math.log10(err / ref);
        System.out.printf("upsampling %d->%d tone %.0f Hz: error vs ideal %.1f dB%n", in, out, freq, errDb);
        assertThat(errDb).isLessThan(-80);
    }

    @Test
    void identityRatioReturnsTheSameSamplesInANewArray() {
        float[] x = new float[1000];
        Random r = new Random(3);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        float[] y = Resampler.resample(x, 16000, 16000);
        assertThat(y).containsExactly(x);
        assertThat(y).isNotSameAs(x);
    }

    @Test
    void constantStaysConstantAwayFromTheEdges() {
        float[] x = new float[8000];
        Arrays.fill(x, 0.3f);
        for (int[] r : new int[][] {{44100, 16000}, {8000, 16000}, {22050, 16000}, {16000, 44100}}) {
            float[] y = Resampler.resample(x, r[0], r[1]);
            for (int m = MARGIN; m < y.length - MARGIN; m++) {
                assertThat(y[m]).isCloseTo(0.3f, within(1e-6f));
            }
        }
    }

    @Test
    void outputLengthIsRoundedRatio() {
        Resampler r = new Resampler(44100, 16000);
        assertThat(r.outputLength(44100)).isEqualTo(16000);
        assertThat(r.outputLength(441)).isEqualTo(160);
        assertThat(r.outputLength(1000)).isEqualTo(363); // 362.81
        assertThat(r.outputLength(0)).isEqualTo(0);
        Resampler s = new Resampler(22050, 16000);
        assertThat(s.outputLength(1000)).isEqualTo(726); // 725.62
        Resampler t = new Resampler(48000, 16000);
        assertThat(t.outputLength(1)).isEqualTo(0); // 0.33
        assertThat(t.outputLength(2)).isEqualTo(1); // 0.67
        assertThat(t.process(new float[2])).hasSize(1);
        assertThat(new Resampler(8000, 16000).process(new float[5])).hasSize(10);
    }

    @Test
    void impulseIsCentredOnItsOwnTime() {
        // An impulse at input sample 300 of a 3:1 decimation must peak at output sample 100 with
        // a symmetric response: that is what "no delay" means.
        float[] x = new float[900];
        x[300] = 1;
        float[] y = Resampler.resample(x, 48000, 16000);
        int peak = 0;
        for (int i = 1; i < y.length; i++) {
            if (Math.abs(y[i]) > Math.abs(y[peak])) {
                peak = i;
            }
        }
        assertThat(peak).isEqualTo(100);
        for (int d = 1; d < 60; d++) {
            assertThat(y[100 + d]).isCloseTo(y[100 - d], within(1e-7f));
        }
    }

    @Test
    void rejectsBadRates() {
        assertThatThrownBy(() -> new Resampler(0, 16000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sample rates must be positive");
        assertThatThrownBy(() -> new Resampler(2_000_000_000, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too extreme");
    }

    @Test
    void audioResampleUsesTheResampler() {
        Audio a = new Audio(sine(1000, 22050, 2205, 0.5, 0), 22050);
        assertThat(a.resample(22050)).isSameAs(a);
        Audio b = a.resample(16000);
        assertThat(b.sampleRate()).isEqualTo(16000);
        assertThat(b.samples()).containsExactly(Resampler.resample(a.samples(), 22050, 16000));
    }

    @ParameterizedTest(name = "{0} -> {1} Hz in blocks")
    @CsvSource({
        "44100, 16000",
        "22050, 16000",
        "48000, 16000",
        "8000, 16000",
        "16000, 48000",
        "44101, 16000",
        "16000, 16000",
        "11025, 22050"
    })
    void blockWiseIsTheWholeSignalBitForBitWhateverTheBlocks(int in, int out) {
        Random r = new Random(in * 31L + out);
        for (int n : new int[] {0, 1, 7, 300, in / 3 + 17}) {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = (float) (0.3 * Math.sin(i * 0.01 * (1 + i % 7)) + 0.1 * r.nextGaussian());
            }
            Resampler rs = new Resampler(in, out);
            float[] whole = rs.process(x);
            for (int trial = 0; trial < 4; trial++) {
                Resampler.Stream s = rs.stream();
                float[] got = new float[whole.length + 8];
                float[] block = new float[s.maxOutput(20000) + s.maxFinish()];
                int k = 0;
                for (int at = 0; at < n; ) {
                    int len = Math.min(n - at, trial == 0 ? 1 : 1 + r.nextInt(trial == 3 ? 20000 : 900));
                    int w = s.push(x, at, len, block, 0);
                    assertThat(w).isLessThanOrEqualTo(s.maxOutput(len));
                    System.arraycopy(block, 0, got, k, w);
                    k += w;
                    at += len;
                }
                int w = s.finish(block, 0);
                assertThat(w).isLessThanOrEqualTo(s.maxFinish() + (in == out ? 0 : 0));
                System.arraycopy(block, 0, got, k, w);
                k += w;
                assertThat(k).as("length, n = %d", n).isEqualTo(whole.length);
                for (int i = 0; i < k; i++) {
                    if (Float.floatToRawIntBits(got[i]) != Float.floatToRawIntBits(whole[i])) {
                        throw new AssertionError("n = " + n + ", trial " + trial + ": sample " + i + " is " + got[i]
                                + ", whole-signal " + whole[i]);
                    }
                }
                assertThat(s.inputs()).isEqualTo(n);
                assertThat(rs.outputLength((long) n)).isEqualTo(whole.length);
            }
        }
    }
}
