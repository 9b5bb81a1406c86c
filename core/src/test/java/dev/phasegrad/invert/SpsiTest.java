package dev.phasegrad.invert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.phasegrad.derivatives.PhaseMath;
import dev.phasegrad.stft.Spectrogram;
import dev.phasegrad.stft.Stft;
import dev.phasegrad.stft.StftConfig;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpsiTest {
    private static StftConfig config(int n) {
        return n == 512 ? StftConfig.HANN_512_128 : StftConfig.DEFAULT;
    }

    /** phaseret's SPSI reaches −18.9 dB at 512/128 on a similar prompt; leave a couple of dB of margin. */
    @ParameterizedTest
    @ValueSource(ints = {512, 1024})
    void speechQualityIsInPhaseretsRange(int n) {
        StftConfig c = config(n);
        float[] x = SpeechFixture.speech();
        float[][] mag = SpeechFixture.magnitude(x, c);
        Spsi spsi = new Spsi(c);
        Spectrogram[] out = new Spectrogram[1];
        double ms = SpeechFixture.millis(() -> out[0] = spsi.reconstruct(mag, x.length));
        double sc = SpeechFixture.spectralConvergenceDb(mag, out[0]);
        System.out.printf("RESULT spsi %s SC %.2f dB, %.1f ms%n", c, sc, ms);
        // measured -19.0 dB at 512/128 and -13.6 dB at 1024/256 (the longer window is harder)
        assertThat(sc).isLessThan(n == 512 ? -17.0 : -12.0);
    }

    /**
     * A stationary sinusoid between bins: in the frame-centred convention every main-lobe bin carries
     * the sinusoid's phase at the frame centre, so the reconstruction error must be the same for all
     * of them (a wrong ±π lock would put neighbours π off), and the phase advance per frame must
     * match the sinusoid's (a wrong sign or hop factor would make the error drift).
     */
    @ParameterizedTest
    @ValueSource(ints = {512, 1024})
    void stationarySinusoidIsPhaseLockedInTheFrameCentredConvention(int n) {
        StftConfig c = config(n);
        double hz = 440.3;
        float[] x = SpeechFixture.sinusoid(16000, hz, 1.0);
        Spectrogram truth = Stft.analyse(x, c);
        float[][] mag = truth.magnitude();
        Spectrogram est = new Spsi(c).reconstruct(mag, x.length);
        float[][] pt = truth.phase();
        float[][] pe = est.phase();
        int k0 = (int) Math.round(hz * n / 16000.0);
        double worstLock = 0;
        double worstDrift = 0;
        int first = n / c.hop() + 2;
        int last = mag.length - n / c.hop() - 2;
        for (int t = first; t < last; t++) {
            double e0 = PhaseMath.princarg(pt[t][k0] - pe[t][k0]);
            for (int k = k0 - 1; k <= k0 + 1; k++) {
                double e = PhaseMath.princarg(pt[t][k] - pe[t][k]);
                worstLock = Math.max(worstLock, Math.abs(PhaseMath.princarg(e - e0)));
            }
            double ePrev = PhaseMath.princarg(pt[t - 1][k0] - pe[t - 1][k0]);
            worstDrift = Math.max(worstDrift, Math.abs(PhaseMath.princarg(e0 - ePrev)));
        }
        double sc = SpeechFixture.spectralConvergenceDb(mag, est);
        System.out.printf(
                "sinusoid %s: lock error %.4f rad, drift %.4f rad/frame, SC %.2f dB%n", c, worstLock, worstDrift, sc);
        assertThat(worstLock).isLessThan(0.05);
        assertThat(worstDrift).isLessThan(0.05);
        assertThat(sc).isLessThan(-25.0);
    }

    /**
     * A linear chirp whose frequency moves a quarter bin per hop in both configurations: the
     * accumulated phase must follow a changing frequency. The published rule advances at the current
     * frequency and so overshoots; the trapezoidal option must do clearly better.
     */
    @ParameterizedTest
    @ValueSource(ints = {512, 1024})
    void chirpIsReconstructedAndTrapezoidalAdvanceHelps(int n) {
        StftConfig c = config(n);
        double rate = 1000.0 * (512.0 * 128) / (n * c.hop());
        float[] x = SpeechFixture.chirp(16000, 300, 300 + rate);
        float[][] mag = SpeechFixture.magnitude(x, c);
        double sc = SpeechFixture.spectralConvergenceDb(mag, new Spsi(c).reconstruct(mag, x.length));
        double trap = SpeechFixture.spectralConvergenceDb(mag, new Spsi(c, true).reconstruct(mag, x.length));
        System.out.printf("chirp %s (%.0f Hz/s): SC %.2f dB, trapezoidal %.2f dB%n", c, rate, sc, trap);
        assertThat(sc).isLessThan(-16.0);
        assertThat(trap).isLessThan(sc - 5.0);
    }

    @Test
    void trapezoidalOptionImprovesSpeech() {
        StftConfig c = StftConfig.HANN_512_128;
        float[] x = SpeechFixture.speech();
        float[][] mag = SpeechFixture.magnitude(x, c);
        double sc = SpeechFixture.spectralConvergenceDb(mag, new Spsi(c).reconstruct(mag, x.length));
        double trap = SpeechFixture.spectralConvergenceDb(mag, new Spsi(c, true).reconstruct(mag, x.length));
        System.out.printf("RESULT spsi-trapezoidal %s SC %.2f dB (published rule %.2f dB)%n", c, trap, sc);
        assertThat(trap).isLessThan(sc - 1.5);
    }

    @Test
    void pushEqualsReconstructAndResetRestarts() {
        StftConfig c = StftConfig.HANN_512_128;
        float[] x = SpeechFixture.speech();
        float[][] mag = SpeechFixture.magnitude(x, c);
        Spsi spsi = new Spsi(c, true);
        float[][][] pushed = SpeechFixture.pushAll(spsi, mag);
        spsi.reset();
        float[][][] again = SpeechFixture.pushAll(spsi, mag);
        Spectrogram whole = new Spsi(c, true).reconstruct(mag, x.length);
        assertThat(pushed[0]).isDeepEqualTo(whole.re());
        assertThat(pushed[1]).isDeepEqualTo(whole.im());
        assertThat(again[0]).isDeepEqualTo(pushed[0]);
        assertThat(again[1]).isDeepEqualTo(pushed[1]);
    }

    @Test
    void noLookaheadAndGivenMagnitudes() {
        StftConfig c = StftConfig.HANN_512_128;
        Spsi spsi = new Spsi(c);
        assertThat(spsi.lookahead()).isZero();
        assertThat(spsi.name()).isEqualTo("spsi");
        float[][] mag = SpeechFixture.magnitude(SpeechFixture.speech(), c);
        float[] re = new float[c.bins()];
        float[] im = new float[c.bins()];
        for (int t = 0; t < 200; t++) {
            assertThat(spsi.push(mag[t], re, im)).isTrue();
            for (int k = 0; k < c.bins(); k++) {
                assertThat(Math.hypot(re[k], im[k])).isCloseTo(mag[t][k], Offset.offset(1e-5 * (1 + mag[t][k])));
            }
        }
    }

    @Test
    void silenceGivesFiniteSilence() {
        StftConfig c = StftConfig.DEFAULT;
        float[][] zeros = new float[40][c.bins()];
        Spectrogram s = new Spsi(c).reconstruct(zeros, 0);
        for (int t = 0; t < zeros.length; t++) {
            for (int k = 0; k < c.bins(); k++) {
                assertThat(s.re()[t][k]).isEqualTo(0f);
                assertThat(s.im()[t][k]).isEqualTo(0f);
            }
        }
    }

    @Test
    void badFramesAreRejected() {
        Spsi spsi = new Spsi(StftConfig.HANN_512_128);
        assertThatThrownBy(() -> spsi.reconstruct(new float[][] {new float[256]}, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("256 bins, expected 257");
        float[] nan = new float[257];
        nan[3] = Float.NaN;
        assertThatThrownBy(() -> spsi.reconstruct(new float[][] {nan}, 0)).hasMessageContaining("frame 0 bin 3");
    }
}
