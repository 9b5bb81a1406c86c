package dev.phasegrad.derivatives;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.phasegrad.stft.Spectrogram;
import dev.phasegrad.stft.Stft;
import dev.phasegrad.stft.StftConfig;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Signs and scales of both PGHI relations, checked against signals whose phase is known in closed form. */
class MagnitudeGradientsTest {

    static double[] log(float[] m) {
        double[] l = new double[m.length];
        MagnitudeGradients.logAndMax(m, l);
        MagnitudeGradients.floor(l, MagnitudeGradients.logFloor(1, 1e-5), l);
        return l;
    }

    /** A sinusoid δ bins above bin k0 advances by 2πδH/N per hop more than bin k0's centre frequency. */
    @ParameterizedTest
    @CsvSource({"512,128,0.3", "512,128,-0.2", "1024,256,0.3", "1024,256,-0.45", "512,64,0.25"})
    void advanceDeviationMatchesAnOffBinSinusoid(int n, int hop, double delta) {
        StftConfig c = StftConfig.hann(n, hop);
        int k0 = n / 16;
        double hz = (k0 + delta) * c.sampleRate() / (double) n;
        float[] x = new float[8 * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.cos(2 * Math.PI * hz * i / c.sampleRate());
        }
        float[][] mag = Stft.magnitude(x, c);
        double[] dev = new double[c.bins()];
        new MagnitudeGradients(c).advanceDeviation(log(mag[mag.length / 2]), dev);
        double expected = 2 * Math.PI * delta * hop / n;
        System.out.printf("%d/%d δ=%.2f: deviation %.4f expected %.4f%n", n, hop, delta, dev[k0], expected);
        assertThat(dev[k0]).isCloseTo(expected, within(0.1 * Math.abs(expected)));
    }

    /**
     * A click d samples after a frame's centre gives that frame a phase falling by 2πd/N per bin; the
     * magnitude grows with frame time there, so the slope from the centred time difference must be
     * negative and of that size.
     */
    @ParameterizedTest
    @CsvSource({"512,128,20", "512,128,-40", "1024,256,60", "1024,256,-25"})
    void frequencySlopeMatchesAClick(int n, int hop, int d) {
        StftConfig c = StftConfig.hann(n, hop);
        int t = 12;
        int centre = (t + 1) * hop - n / 2;
        float[] x = new float[30 * hop];
        x[centre + d] = 1f;
        Spectrogram s = Stft.analyse(x, c);
        float[][] mag = s.magnitude();
        MagnitudeGradients g = new MagnitudeGradients(c);
        double[] dLog = new double[c.bins()];
        MagnitudeGradients.centredDifference(log(mag[t + 1]), log(mag[t - 1]), dLog);
        double[] slope = new double[c.bins()];
        g.frequencySlope(dLog, slope);
        double expected = -2 * Math.PI * d / n;
        float trueSlope = (float) PhaseMath.princarg(s.phase()[t][41] - s.phase()[t][40]);
        System.out.printf(
                "%d/%d d=%d: slope %.4f expected %.4f (measured phase step %.4f)%n",
                n, hop, d, slope[40], expected, trueSlope);
        assertThat(trueSlope).isCloseTo((float) expected, within(1e-3f));
        assertThat(slope[40]).isCloseTo(expected, within(0.1 * Math.abs(expected)));
    }

    /** Next to digital silence the log difference is bounded only by the floor; the slope saturates. */
    @ParameterizedTest
    @CsvSource({"512,512", "1024,768"})
    void slopeSaturatesAtTheWindowHalfLength(int n, int len) {
        StftConfig c = new StftConfig(n, len, len / 4, 16000);
        double[] dLog = new double[c.bins()];
        Arrays.fill(dLog, 40);
        dLog[3] = -40;
        double[] slope = new double[c.bins()];
        new MagnitudeGradients(c).frequencySlope(dLog, slope);
        assertThat(slope[0]).isCloseTo(-Math.PI * len / n, within(1e-12));
        assertThat(slope[3]).isCloseTo(Math.PI * len / n, within(1e-12));
    }

    @ParameterizedTest
    @CsvSource({"0", "1e-30"})
    void floorIsFiniteForSilence(double reference) {
        double f = MagnitudeGradients.logFloor(reference, 1e-5);
        assertThat(Double.isFinite(f)).isTrue();
        assertThat(f).isGreaterThanOrEqualTo(Math.log(Float.MIN_NORMAL));
    }
}
