package dev.phasegrad.stft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The buffer-reusing variants added for iterative inverters agree with the allocating ones. */
class StftBuffersTest {
    private static float[] noise(int length, long seed) {
        Random r = new Random(seed);
        float[] x = new float[length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian() * 0.3f;
        }
        return x;
    }

    @ParameterizedTest
    @CsvSource({"512,512,128,5000", "1024,1024,256,4097", "1024,768,128,300", "256,256,64,64"})
    void intoVariantsMatchTheAllocatingOnes(int fft, int win, int hop, int length) {
        StftConfig c = new StftConfig(fft, win, hop, 16000);
        float[] x = noise(length, 3);
        Spectrogram want = Stft.analyse(x, c);
        int frames = Stft.frameCount(length, c);
        Spectrogram got = new Spectrogram(c, new float[frames][c.bins()], new float[frames][c.bins()], length);
        // stale contents must be overwritten
        got.re()[0][1] = 42f;
        Stft.analyse(x, got);
        assertThat(got.re()).isDeepEqualTo(want.re());
        assertThat(got.im()).isDeepEqualTo(want.im());

        float[] y = Stft.synthesise(want);
        float[] into = new float[length + 3];
        Arrays.fill(into, 7f);
        Stft.synthesise(want, into);
        for (int i = 0; i < length; i++) {
            assertThat(into[i]).isEqualTo(y[i]);
        }
        assertThat(into[length]).isEqualTo(7f);
    }

    @Test
    void intoVariantsRejectMismatchedBuffers() {
        StftConfig c = StftConfig.HANN_512_128;
        Spectrogram s = new Spectrogram(c, new float[3][c.bins()], new float[3][c.bins()], 1000);
        assertThatThrownBy(() -> Stft.analyse(new float[1000], s)).hasMessageContaining("needs");
        assertThatThrownBy(() -> Stft.synthesise(s, new float[999])).hasMessageContaining("999");
    }

    @Test
    void standAloneFrameAnalysisAndSynthesisMatchTheStreamingPath() {
        StftConfig c = new StftConfig(512, 384, 128, 16000);
        int n = c.fftSize();
        int hop = c.hop();
        float[] x = noise(20 * hop, 5);
        StreamingStft stft = new StreamingStft(c);
        float[] re = new float[c.bins()];
        float[] im = new float[c.bins()];
        double[] signal = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            signal[i] = x[i];
        }
        double[] dre = new double[c.bins()];
        double[] dim = new double[c.bins()];
        StreamingStft other = new StreamingStft(c);
        for (int t = 0; t < 20; t++) {
            stft.push(x, t * hop, re, im);
            int start = (t + 1) * hop - n;
            if (start >= 0) {
                other.analyseFrame(signal, start, dre, dim);
                for (int k = 0; k < c.bins(); k++) {
                    assertThat(dre[k]).isCloseTo(re[k], Offset.offset(1e-4));
                    assertThat(dim[k]).isCloseTo(im[k], Offset.offset(1e-4));
                }
            }
        }
        // overlap-adding synthesiseFrame at hop spacing is what push does
        Spectrogram s = Stft.analyse(x, c);
        StreamingIstft istft = new StreamingIstft(c);
        double[] sum = new double[s.frames() * hop + n];
        double[] frame = new double[n];
        float[] streamed = new float[s.frames() * hop];
        StreamingIstft streaming = new StreamingIstft(c);
        for (int t = 0; t < s.frames(); t++) {
            for (int k = 0; k < c.bins(); k++) {
                dre[k] = s.re()[t][k];
                dim[k] = s.im()[t][k];
            }
            istft.synthesiseFrame(dre, dim, frame);
            for (int i = 0; i < n; i++) {
                sum[t * hop + i] += frame[i];
            }
            streaming.push(s.re()[t], s.im()[t], streamed, t * hop);
        }
        // with frame t placed at t·hop, push of frame t emits the finished samples [t·hop, (t+1)·hop)
        for (int j = 0; j < streamed.length; j++) {
            assertThat(sum[j]).isCloseTo(streamed[j], Offset.offset(1e-5));
        }
    }
}
