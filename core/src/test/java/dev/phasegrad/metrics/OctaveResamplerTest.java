package dev.phasegrad.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OctaveResamplerTest {

    /** 64-bit LCG (Knuth's MMIX constants) mapped to [-0.5, 0.5): bit-identical in Java and Python. */
    static double[] lcgNoise(int n) {
        long s = 12345;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            s = s * 6364136223846793005L + 1442695040888963407L;
            x[i] = (s >>> 11) * 0x1.0p-53 - 0.5;
        }
        return x;
    }

    /**
     * Reference values from scipy 1.17.1 {@code resample_poly(x, 10000, fs, window=w)} with
     * {@code w} the Octave Kaiser design of pystoi's {@code resample_oct} (numpy 2.4.6), on
     * {@link #lcgNoise}. Columns: fs, n, L, output length, y[0], y[1], y[mid], y[mid+1] with
     * mid = len/2, y[len-2], y[len-1], Σy².
     */
    @ParameterizedTest(name = "{0} Hz -> 10 kHz")
    @CsvSource({
        "8000, 4003, 182, 5004, -0.3904276889606897, -0.35292831432474236, -0.5447551226355077, 0.11556408580322056, -0.03956199865728935, -0.3393343531384532, 415.13281387586676",
        "16000, 3001, 290, 1876, -0.35711763360317655, 0.12543133818076846, 0.27172626554082796, 0.207090445885961, 0.1560926989725261, -0.14464060778372503, 100.8688619260477",
        "22050, 5001, 15973, 2269, -0.23737431825730368, 0.1847229140599298, -0.19838630816314615, -0.10422515908934278, 0.18415833862340728, -0.12737939709200555, 88.52513389784531",
        "44100, 9001, 15973, 2042, -0.07326418326394347, 0.12678894793165074, -0.1515982398077013, -0.12808838568718356, 0.013864008893922829, 0.0665183006246767, 38.30670884174404",
        "48000, 4801, 870, 1001, -0.05091696892547058, 0.10975863123155433, 0.07074182251190354, -0.0629447822222941, 0.2880437327601999, 0.0501908963889442, 17.876104361038987",
    })
    void matchesScipyResamplePolyWithOctaveWindow(
            int fs,
            int n,
            int half,
            int len,
            double y0,
            double y1,
            double ym,
            double ym1,
            double yl2,
            double yl1,
            double sumSq) {
        OctaveResampler r = new OctaveResampler(fs, 10_000);
        assertThat(r.halfLength()).isEqualTo(half);
        double[] y = r.apply(lcgNoise(n));
        assertThat(y).hasSize(len);
        assertThat(r.outputLength(n)).isEqualTo(len);
        int mid = len / 2;
        double tol = 1e-12;
        assertThat(y[0]).isCloseTo(y0, within(tol));
        assertThat(y[1]).isCloseTo(y1, within(tol));
        assertThat(y[mid]).isCloseTo(ym, within(tol));
        assertThat(y[mid + 1]).isCloseTo(ym1, within(tol));
        assertThat(y[len - 2]).isCloseTo(yl2, within(tol));
        assertThat(y[len - 1]).isCloseTo(yl1, within(tol));
        double ss = 0;
        for (double v : y) {
            ss += v * v;
        }
        assertThat(ss).isCloseTo(sumSq, within(1e-10 * sumSq));
    }

    @Test
    void ratioIsReducedByGcd() {
        OctaveResampler r = new OctaveResampler(16000, 10000);
        assertThat(r.up()).isEqualTo(5);
        assertThat(r.down()).isEqualTo(8);
        OctaveResampler s = new OctaveResampler(22050, 10000);
        assertThat(s.up()).isEqualTo(200);
        assertThat(s.down()).isEqualTo(441);
    }

    @Test
    void equalRatesCopy() {
        double[] x = lcgNoise(100);
        double[] y = new OctaveResampler(10000, 10000).apply(x);
        assertThat(y).isEqualTo(x).isNotSameAs(x);
    }

    @Test
    void passesALowToneWithUnitGain() {
        // 440 Hz at 16 kHz -> 10 kHz: away from the edges the output is the same tone, same amplitude.
        int n = 16000;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = Math.sin(2 * Math.PI * 440 * i / 16000.0);
        }
        double[] y = new OctaveResampler(16000, 10000).apply(x);
        for (int k = 1000; k < y.length - 1000; k++) {
            assertThat(y[k]).isCloseTo(Math.sin(2 * Math.PI * 440 * k / 10000.0), within(2e-3));
        }
    }

    @Test
    void besselI0MatchesKnownValues() {
        assertThat(OctaveResampler.besselI0(0)).isEqualTo(1.0);
        assertThat(OctaveResampler.besselI0(1)).isCloseTo(1.2660658777520082, within(1e-15));
        assertThat(OctaveResampler.besselI0(5)).isCloseTo(27.239871823604442, within(1e-13));
    }

    @Test
    void rejectsBadRates() {
        assertThatThrownBy(() -> new OctaveResampler(0, 10000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fsIn=0");
        assertThatThrownBy(() -> new OctaveResampler(16000, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fsOut=-1");
        // 1000003 Hz is prime: ratio 10000/1000003 would need a ~72M-tap filter.
        assertThatThrownBy(() -> new OctaveResampler(1_000_003, 10000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("taps");
    }
}
