package dev.phasegrad.invert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phasegrad.Method;
import dev.phasegrad.PhaseInverter;
import dev.phasegrad.stft.Spectrogram;
import dev.phasegrad.stft.Stft;
import dev.phasegrad.stft.StftConfig;
import dev.phasegrad.stft.StreamingIstft;
import dev.phasegrad.stft.StreamingStft;
import dev.phasegrad.testing.Allocations;
import dev.phasegrad.testing.TestAudio;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The zero-allocation contract checked on the code itself, not on what C2 makes of it: run by the
 * {@code interpreted} surefire execution under -Xint, where no escape analysis removes an allocation.
 * Why: the compiled-code check in {@link StreamingContractTest} would pass a per-frame {@code new}
 * that C2 scalar-replaces, and runtimes without that optimisation (C1, Android's ART) would allocate.
 * Without JIT there are no compilation transitions either, so one measured pass is exact.
 */
@Tag("interpreted")
class InterpretedAllocationTest {
    /** Speech frames from the middle of the clip. */
    private static final int FRAMES = 12;

    /** Every streaming method but masuyama2023, whose 210 M MAC per frame take seconds interpreted (about 9 s on
     *  this machine); its code paths run in miniature in {@code nn.InterpretedNetworkAllocationTest}. */
    static Stream<String> methods() {
        return StreamingContractTest.streamingMethods().filter(n -> !n.equals("masuyama2023"));
    }

    /**
     * The spectrogram of {@value #FRAMES} frames (and a little more) from the middle of the clip: only
     * that stretch is analysed, since analysis is slow interpreted too.
     */
    private static Spectrogram middle(StftConfig c) {
        float[] x = TestAudio.clip(c.sampleRate());
        int length = (FRAMES + 1) * c.hop();
        int from = x.length / 2 - length / 2;
        Spectrogram s = Stft.analyse(Arrays.copyOfRange(x, from, from + length), c);
        assertThat(s.frames()).isGreaterThanOrEqualTo(FRAMES);
        return s;
    }

    @ParameterizedTest
    @MethodSource("methods")
    void pushAllocatesNothingWhenInterpreted(String name) {
        Allocations.requireInterpreted();
        StftConfig c = StreamingContractTest.firstAvailable(name);
        Spectrogram truth = middle(c);
        float[][] mag = Arrays.copyOf(truth.magnitude(), FRAMES);
        StreamingInverter inv = Methods.streaming(name, c, truth);
        assertThat(Allocations.afterFirstUse(Allocations.streamPass(inv, mag)))
                .as("%s at %s: bytes allocated by reset and %d pushes, interpreted", name, c, FRAMES)
                .isZero();
    }

    /** The public chain (validation, inverter, ISTFT, flush) of every {@link Method} but masuyama2023 (see above). */
    @ParameterizedTest
    @EnumSource(value = Method.class, names = "MASUYAMA2023", mode = EnumSource.Mode.EXCLUDE)
    void phaseInverterAllocatesNothingWhenInterpreted(Method method) {
        Allocations.requireInterpreted();
        StftConfig c = StreamingContractTest.firstAvailable(method.catalogueName());
        float[][] mag = Arrays.copyOf(middle(c).magnitude(), FRAMES);
        PhaseInverter inv = PhaseInverter.builder().method(method).stft(c).build();
        assertThat(Allocations.afterFirstUse(Allocations.streamPass(inv, mag)))
                .as("%s at %s: bytes allocated by %d pushes and a flush, interpreted", method, c, FRAMES)
                .isZero();
    }

    @ParameterizedTest
    @MethodSource("configs")
    void stftAndIstftAllocateNothingWhenInterpreted(StftConfig c) {
        Allocations.requireInterpreted();
        StreamingStft stft = new StreamingStft(c);
        StreamingIstft istft = new StreamingIstft(c);
        float[] hop = new float[c.hop()];
        float[] re = new float[c.bins()];
        float[] im = new float[c.bins()];
        float[] out = new float[c.hop()];
        Runnable pass = () -> {
            for (int t = 0; t < FRAMES; t++) {
                stft.push(hop, re, im);
                istft.push(re, im, out, 0);
            }
        };
        assertThat(Allocations.afterFirstUse(pass))
                .as("STFT + ISTFT at %s, interpreted", c)
                .isZero();
    }

    static Iterable<StftConfig> configs() {
        return StreamingContractTest.CONFIGS;
    }
}
