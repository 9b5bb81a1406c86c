package dev.phasegrad.invert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phasegrad.Method;
import dev.phasegrad.PhaseInverter;
import dev.phasegrad.stft.Spectrogram;
import dev.phasegrad.stft.Stft;
import dev.phasegrad.stft.StftConfig;
import dev.phasegrad.testing.Allocations;
import dev.phasegrad.testing.TestAudio;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The streaming contract, checked for every streaming method in the catalogue. */
class StreamingContractTest {
    static final List<StftConfig> CONFIGS = List.of(StftConfig.HANN_512_128, StftConfig.DEFAULT);

    /** Streaming methods (oracles included) available at some configuration (network methods need a shipped model). */
    static Stream<String> streamingMethods() {
        return Methods.streamingNames().stream()
                .filter(n -> CONFIGS.stream().anyMatch(c -> Methods.get(n).availableAt(c)));
    }

    /**
     * The frames an allocation check streams: the whole clip, but for masuyama2023 its first 12 frames
     * (its 210 M MAC per frame make every pass of the full clip seconds long, and what it allocates does
     * not depend on how many frames follow its 4-frame input window).
     */
    static float[][] framesFor(String method, float[][] magnitude) {
        return method.equals(Method.MASUYAMA2023.catalogueName())
                ? Arrays.copyOf(magnitude, Math.min(12, magnitude.length))
                : magnitude;
    }

    /** The speech a whole-stream check runs: the clip, its first second for masuyama2023 (as above). */
    static float[] speechFor(String method, StftConfig c) {
        float[] x = TestAudio.clip(c.sampleRate());
        return method.equals(Method.MASUYAMA2023.catalogueName()) ? Arrays.copyOf(x, c.sampleRate()) : x;
    }

    static StftConfig firstAvailable(String name) {
        return CONFIGS.stream()
                .filter(c -> Methods.get(name).availableAt(c))
                .findFirst()
                .orElseThrow();
    }

    @ParameterizedTest
    @MethodSource("streamingMethods")
    void pushAllocatesNothingInSteadyState(String name) {
        for (StftConfig c : CONFIGS) {
            if (!Methods.get(name).availableAt(c)) {
                continue;
            }
            float[] x = TestAudio.clip(c.sampleRate());
            Spectrogram truth = Stft.analyse(x, c);
            float[][] mag = framesFor(name, truth.magnitude());
            StreamingInverter inv = Methods.streaming(name, c, truth);
            Runnable pass = Allocations.streamPass(inv, mag);
            // warm up so the JIT has compiled push; steadyState absorbs a one-off while compilation settles
            for (int rep = 0; rep < 10; rep++) {
                pass.run();
            }
            assertThat(Allocations.steadyState(pass))
                    .as("%s at %s: bytes allocated by reset and %d pushes", name, c, mag.length)
                    .isZero();
        }
    }

    /** The public chain: validation, inverter, ISTFT, and a flush at the end of every pass. */
    @ParameterizedTest
    @EnumSource(Method.class)
    void phaseInverterAllocatesNothingInSteadyState(Method method) {
        for (StftConfig c : CONFIGS) {
            if (!method.availableAt(c)) {
                continue;
            }
            float[][] mag = framesFor(
                    method.catalogueName(),
                    Stft.analyse(TestAudio.clip(c.sampleRate()), c).magnitude());
            PhaseInverter inv = PhaseInverter.builder().method(method).stft(c).build();
            Runnable pass = Allocations.streamPass(inv, mag);
            for (int rep = 0; rep < 10; rep++) {
                pass.run();
            }
            assertThat(Allocations.steadyState(pass))
                    .as("%s at %s: bytes allocated by %d pushes and a flush", method, c, mag.length)
                    .isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("streamingMethods")
    void silentAndImpulsiveInputGiveFiniteOutput(String name) {
        StftConfig c = firstAvailable(name);
        float[] x = new float[16000];
        x[8000] = 1f; // digital silence, one click, silence again
        Spectrogram truth = Stft.analyse(x, c);
        StreamingInverter inv = Methods.streaming(name, c, truth);
        Spectrogram rec = inv.reconstruct(truth.magnitude(), x.length);
        for (int t = 0; t < rec.frames(); t++) {
            for (int k = 0; k < rec.bins(); k++) {
                assertThat(Float.isFinite(rec.re()[t][k]) && Float.isFinite(rec.im()[t][k]))
                        .as("%s frame %d bin %d finite", name, t, k)
                        .isTrue();
            }
        }
        float[] y = Stft.synthesise(rec);
        for (float v : y) {
            assertThat(Float.isFinite(v)).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("streamingMethods")
    void resetMakesASecondRunIdentical(String name) {
        StftConfig c = firstAvailable(name);
        float[] x = speechFor(name, c);
        Spectrogram truth = Stft.analyse(x, c);
        StreamingInverter inv = Methods.streaming(name, c, truth);
        Spectrogram a = inv.reconstruct(truth.magnitude(), x.length);
        Spectrogram b = inv.reconstruct(truth.magnitude(), x.length);
        for (int t = 0; t < a.frames(); t++) {
            assertThat(b.re()[t]).as("%s frame %d", name, t).containsExactly(a.re()[t]);
        }
    }
}
