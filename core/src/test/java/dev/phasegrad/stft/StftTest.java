package dev.phasegrad.stft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StftTest {

    @Test
    void realFftMatchesDirectDft() {
        int n = 16;
        Random r = new Random(1);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextGaussian();
        }
        double[] re = new double[n / 2 + 1];
        double[] im = new double[n / 2 + 1];
        new RealFft(n).forward(x, re, im);
        for (int k = 0; k <= n / 2; k++) {
            double sr = 0;
            double si = 0;
            for (int i = 0; i < n; i++) {
                sr += x[i] * Math.cos(2 * Math.PI * k * i / n);
                si -= x[i] * Math.sin(2 * Math.PI * k * i / n);
            }
            assertThat(re[k]).isCloseTo(sr, Offset.offset(1e-12));
            assertThat(im[k]).isCloseTo(si, Offset.offset(1e-12));
        }
        double[] back = new double[n];
        new RealFft(n).inverse(re, im, back);
        for (int i = 0; i < n; i++) {
            assertThat(back[i]).isCloseTo(x[i], Offset.offset(1e-12));
        }
    }

    @ParameterizedTest
    @CsvSource({"512,512,128", "1024,1024,256", "512,512,256", "1024,768,128", "256,256,64"})
    void analysisThenSynthesisIsPerfectReconstruction(int fft, int win, int hop) {
        StftConfig c = new StftConfig(fft, win, hop, 16000);
        Random r = new Random(7);
        float[] x = new float[5000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian() * 0.3f;
        }
        float[] y = Stft.synthesise(Stft.analyse(x, c));
        assertThat(y).hasSameSizeAs(x);
        double maxErr = 0;
        for (int i = 0; i < x.length; i++) {
            maxErr = Math.max(maxErr, Math.abs(x[i] - y[i]));
        }
        assertThat(maxErr).isLessThan(1e-6);
    }

    @Test
    void frameCentredPhaseAdvancesByBinFrequencyForASinusoidOnABin() {
        StftConfig c = StftConfig.hann(512, 128);
        int k0 = 20;
        float[] x = new float[8000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.cos(2 * Math.PI * k0 * i / 512.0 + 0.3);
        }
        Spectrogram s = Stft.analyse(x, c);
        float[][] ph = s.phase();
        // frame t is centred on input sample (t+1)·hop − N/2: the phase there is the sinusoid's
        double expected = 2 * Math.PI * k0 * ((10 + 1) * 128 - 256) / 512.0 + 0.3;
        double err = Math.abs(Math.IEEEremainder(ph[10][k0] - expected, 2 * Math.PI));
        assertThat(err).isLessThan(1e-4);
    }

    @Test
    void invalidConfigsAreRejectedWithTheReason() {
        assertThatThrownBy(() -> StftConfig.hann(511, 128)).hasMessageContaining("even");
        assertThatThrownBy(() -> StftConfig.hann(512, 300)).hasMessageContaining("hop");
    }
}
