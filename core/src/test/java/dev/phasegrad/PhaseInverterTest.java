package dev.phasegrad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.phasegrad.invert.Methods;
import dev.phasegrad.nn.PhaseModel;
import dev.phasegrad.stft.Spectrogram;
import dev.phasegrad.stft.Stft;
import dev.phasegrad.stft.StftConfig;
import dev.phasegrad.testing.TestAudio;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PhaseInverterTest {
    private static final List<StftConfig> CONFIGS = List.of(StftConfig.DEFAULT, StftConfig.HANN_512_128);
    /** Frames of the clip streamed per check: 3.3 s at 1024/256, 1.6 s at 512/128. */
    private static final int FRAMES = 200;

    /** masuyama2023 costs 14 ms a frame: 40 frames (0.6 s) of it, several times its 4-frame window. */
    private static int frames(Method m) {
        return m == Method.MASUYAMA2023 ? 40 : FRAMES;
    }

    /** Every method at every configuration it has a model for. */
    static Stream<Arguments> methodsAndConfigs() {
        List<Arguments> out = new ArrayList<>();
        for (Method m : Method.values()) {
            for (StftConfig c : CONFIGS) {
                if (m.availableAt(c)) {
                    out.add(Arguments.of(m, c));
                }
            }
        }
        return out.stream();
    }

    private static float[][] speech(StftConfig c) {
        return speech(Method.PHASEGRAD, c);
    }

    private static float[][] speech(Method m, StftConfig c) {
        float[][] mag = Stft.analyse(TestAudio.clip(c.sampleRate()), c).magnitude();
        return Arrays.copyOf(mag, Math.min(frames(m), mag.length));
    }

    private static PhaseInverter build(Method m, StftConfig c) {
        return PhaseInverter.builder().method(m).stft(c).build();
    }

    /** Pushes frames [from, to) into {@code out} at hop spacing. */
    private static void pushRange(PhaseInverter inv, float[][] mag, int from, int to, float[] out) {
        for (int t = from; t < to; t++) {
            assertThat(inv.push(mag[t], out, t * inv.hop())).isEqualTo(inv.hop());
        }
    }

    private static float[] uninterrupted(PhaseInverter inv, float[][] mag) {
        float[] y = new float[mag.length * inv.hop() + inv.latencySamples()];
        pushRange(inv, mag, 0, mag.length, y);
        assertThat(inv.flush(y, mag.length * inv.hop())).isEqualTo(inv.latencySamples());
        return y;
    }

    private static int[] bits(float[] y) {
        int[] b = new int[y.length];
        for (int i = 0; i < y.length; i++) {
            b[i] = Float.floatToRawIntBits(y[i]);
        }
        return b;
    }

    /**
     * The stream moves to a new inverter at a seeded random frame, at the first frame, and where the
     * look-ahead has just filled (each hand-over a snapshot restored into a freshly built inverter);
     * every output sample, the flush tail included, equals the uninterrupted run's bit for bit.
     */
    @ParameterizedTest
    @MethodSource("methodsAndConfigs")
    void aRestoredStreamContinuesBitForBit(Method method, StftConfig c) {
        float[][] mag = speech(method, c);
        PhaseInverter inv = build(method, c);
        float[] reference = uninterrupted(inv, mag);
        long seed = 31L * method.ordinal() + c.fftSize();
        int random = 2 + new Random(seed).nextInt(mag.length - 2);
        int[] handovers = {1, Math.max(1, inv.lookahead()), random};
        Arrays.sort(handovers);

        float[] y = new float[reference.length];
        int done = 0;
        for (int at : handovers) {
            pushRange(inv, mag, done, at, y);
            done = at;
            byte[] state = inv.snapshot();
            assertThat(state).hasSize(inv.snapshotSize());
            PhaseInverter next = build(method, c);
            next.restore(state);
            assertThat(next.snapshot())
                    .as("restored state re-serialises to the same bytes")
                    .isEqualTo(state);
            assertThat(next.frames()).isEqualTo(at);
            inv = next;
        }
        pushRange(inv, mag, done, mag.length, y);
        inv.flush(y, mag.length * inv.hop());
        assertThat(bits(y))
                .as("%s at %s, handed over at frames %s", method, c, Arrays.toString(handovers))
                .isEqualTo(bits(reference));
        System.out.printf("SNAPSHOT %s %s: %d bytes%n", method, c, inv.snapshotSize());
    }

    /** Push then flush reproduces the batch path (reconstruct, then synthesis) exactly, delayed by the look-ahead. */
    @ParameterizedTest
    @MethodSource("methodsAndConfigs")
    void streamEqualsTheBatchPathDelayedByTheLatency(Method method, StftConfig c) {
        float[] x = Arrays.copyOf(TestAudio.clip(c.sampleRate()), frames(method) * c.hop());
        Spectrogram truth = Stft.analyse(x, c);
        PhaseInverter inv = build(method, c);
        float[] y = uninterrupted(inv, truth.magnitude());
        assertThat(y).hasSize(truth.frames() * c.hop() + inv.latencySamples());
        float[] batch = Stft.synthesise(
                Methods.streaming(method.catalogueName(), c, null).reconstruct(truth.magnitude(), x.length));
        int covered = Math.min(x.length, truth.frames() * c.hop() - c.analysisSynthesisDelay());
        float[] delayed = Arrays.copyOfRange(y, inv.latencySamples(), inv.latencySamples() + covered);
        assertThat(bits(delayed)).isEqualTo(bits(Arrays.copyOf(batch, covered)));
        for (int i = 0; i < inv.lookahead() * c.hop(); i++) {
            assertThat(y[i]).as("sample %d, before the look-ahead filled", i).isEqualTo(0f);
        }
    }

    @Test
    void namesSettingsAndLatency() {
        PhaseInverter inv = PhaseInverter.builder()
                .method(Method.PHASEGRAD)
                .stft(StftConfig.hann(1024, 256))
                .sampleRate(16000)
                .build();
        assertThat(inv.method()).isEqualTo(Method.PHASEGRAD);
        assertThat(inv.hop()).isEqualTo(256);
        assertThat(inv.bins()).isEqualTo(513);
        assertThat(inv.sampleRate()).isEqualTo(16000);
        assertThat(inv.latencySamples()).isEqualTo(768);
        assertThat(inv.model()).isPresent();
        PhaseInverter rtisi = PhaseInverter.builder()
                .method("rtisi-la")
                .stft(StftConfig.HANN_512_128)
                .build();
        assertThat(rtisi.lookahead()).isEqualTo(3);
        assertThat(rtisi.latencySamples()).isEqualTo(384 + 3 * 128);
        assertThat(rtisi.model()).isEmpty();
        assertThat(PhaseInverter.builder().method("proposed-strided").build().method())
                .isEqualTo(Method.PHASEGRAD_STRIDED);
        assertThat(PhaseInverter.builder().build().method()).isEqualTo(Method.PHASEGRAD);
    }

    @Test
    void methodsAreTheCataloguesStreamingEntriesWithAliases() {
        List<String> streaming = new ArrayList<>();
        for (String n : Methods.streamingNames()) {
            if (!Methods.get(n).needsTruth()) {
                streaming.add(n);
            }
        }
        assertThat(Arrays.stream(Method.values()).map(Method::catalogueName))
                .containsExactlyInAnyOrderElementsOf(streaming);
        assertThat(Method.fromName("proposed")).isEqualTo(Method.PHASEGRAD);
        assertThat(Method.fromName("proposed-strided")).isEqualTo(Method.PHASEGRAD_STRIDED);
        assertThat(Method.fromName("prior-sota")).isEqualTo(Method.MASUYAMA2023);
        assertThat(Method.fromName("masuyama2023")).isEqualTo(Method.MASUYAMA2023);
        assertThat(Method.PHASEGRAD.aliases()).containsExactly("proposed");
        assertThatThrownBy(() -> Method.fromName("fgla"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a streaming method")
                .hasMessageContaining("phasegrad, phasegrad-strided");
        assertThatThrownBy(() -> Method.fromName("nope")).hasMessageContaining("unknown method 'nope'");
    }

    @Test
    void everyInverterIsNamedAsInTheCatalogue() {
        StftConfig c = StftConfig.HANN_512_128;
        Spectrogram truth = Stft.analyse(new float[4096], c);
        for (String n : Methods.availableNames(c)) {
            assertThat(Methods.create(n, c, truth).name()).as(n).isEqualTo(n);
        }
        assertThat(Methods.create("proposed", c, null).name()).isEqualTo("phasegrad");
    }

    @Test
    void aNetworkMethodWithoutAModelNamesTheSettingsModelsShipFor() {
        assertThatThrownBy(() -> PhaseInverter.builder()
                        .method(Method.PHASEGRAD)
                        .sampleRate(44100)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'phasegrad' has no built-in model for STFT Hann 1024 / hop 256 @ 44100 Hz")
                .hasMessageContaining(
                        "Hann 1024 / hop 256 @ 16000 Hz",
                        "Hann 512 / hop 128 @ 16000 Hz",
                        "Hann 1024 / hop 256 @ 22050 Hz");
        assertThatThrownBy(() -> PhaseInverter.builder()
                        .method(Method.MASUYAMA2023)
                        .stft(StftConfig.HANN_512_128)
                        .build())
                .hasMessageContaining("built-in 'prior-sota' models: Hann 1024 / hop 256 @ 16000 Hz");
        assertThat(Method.PHASEGRAD.availableAt(StftConfig.DEFAULT.withSampleRate(44100)))
                .isFalse();
        assertThat(Method.PHASEGRAD.availableAt(StftConfig.DEFAULT.withSampleRate(22050)))
                .isTrue();
        assertThat(Method.RTPGHI.availableAt(StftConfig.DEFAULT.withSampleRate(24000)))
                .isTrue();
        PhaseInverter rt =
                PhaseInverter.builder().method(Method.RTPGHI).sampleRate(24000).build();
        assertThat(rt.sampleRate()).isEqualTo(24000);
    }

    @Test
    void aModelOfOnesOwnImpliesANetworkMethod() {
        PhaseModel strided = PhaseModel.builtin("proposed-strided", StftConfig.DEFAULT);
        PhaseInverter inv = PhaseInverter.builder().model(strided).build();
        assertThat(inv.method()).isEqualTo(Method.PHASEGRAD_STRIDED);
        assertThat(inv.lookahead()).isEqualTo(1);
        assertThatThrownBy(() -> PhaseInverter.builder()
                        .method(Method.SPSI)
                        .model(strided)
                        .build())
                .hasMessageContaining("'spsi' uses no model");
        assertThatThrownBy(() -> PhaseInverter.builder()
                        .model(strided)
                        .stft(StftConfig.HANN_512_128)
                        .build())
                .hasMessageContaining("trained for STFT Hann 1024 / hop 256");
    }

    @Test
    void framesAreValidatedOnceAtTheBoundaryNamingFrameAndBin() {
        PhaseInverter inv = build(Method.PHASEGRAD, StftConfig.HANN_512_128);
        float[] pcm = new float[inv.hop()];
        float[] ok = new float[inv.bins()];
        inv.push(ok, pcm);
        inv.push(ok, pcm);
        float[] nan = new float[inv.bins()];
        nan[5] = Float.NaN;
        assertThatThrownBy(() -> inv.push(nan, pcm))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("magnitude frame 2 bin 5 must be finite and non-negative, got NaN");
        float[] negative = new float[inv.bins()];
        negative[7] = -1f;
        assertThatThrownBy(() -> inv.push(negative, pcm)).hasMessageContaining("frame 2 bin 7");
        assertThatThrownBy(() -> inv.push(new float[10], pcm))
                .hasMessage("magnitude frame 2 has 10 bins, expected 257");
        assertThatThrownBy(() -> inv.push(ok, new float[10])).hasMessageContaining("the output buffer holds 10");
        assertThatThrownBy(() -> inv.flush(new float[10])).hasMessageContaining("flush writes 384 samples");
        assertThat(inv.frames())
                .as("rejected frames leave the stream as it was")
                .isEqualTo(2);
        float[] log = new float[inv.bins()];
        Arrays.fill(log, Float.NEGATIVE_INFINITY);
        assertThat(inv.pushLog(log, pcm)).isEqualTo(inv.hop());
        log[9] = Float.NaN;
        assertThatThrownBy(() -> inv.pushLog(log, pcm)).hasMessageContaining("log-magnitude frame 3 bin 9");
    }

    @Test
    void pushLogEqualsPushOfTheExponential() {
        StftConfig c = StftConfig.HANN_512_128;
        float[][] mag = speech(c);
        PhaseInverter a = build(Method.LS_HEURISTIC, c);
        PhaseInverter b = build(Method.LS_HEURISTIC, c);
        float[] ya = new float[c.hop()];
        float[] yb = new float[c.hop()];
        float[] log = new float[c.bins()];
        float[] lin = new float[c.bins()];
        for (float[] m : mag) {
            for (int k = 0; k < m.length; k++) {
                log[k] = (float) Math.log(m[k]);
                lin[k] = (float) Math.exp(log[k]);
            }
            a.pushLog(log, ya);
            b.push(lin, yb);
            assertThat(bits(ya)).isEqualTo(bits(yb));
        }
    }

    @Test
    void aSnapshotRefusesAnotherMethodSettingsOrModel() {
        StftConfig c = StftConfig.HANN_512_128;
        float[][] mag = speech(c);
        PhaseInverter rtpghi = build(Method.RTPGHI, c);
        pushRange(rtpghi, mag, 0, 20, new float[20 * c.hop()]);
        byte[] state = rtpghi.snapshot();
        assertThatThrownBy(() -> build(Method.SPSI, c).restore(state))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("snapshot is of method 'rtpghi', this inverter runs 'spsi'");
        assertThatThrownBy(() -> build(Method.RTPGHI, StftConfig.DEFAULT).restore(state))
                .hasMessageContaining("snapshot was taken at STFT FFT 512, window 512, hop 128, 16000 Hz")
                .hasMessageContaining("this inverter runs Hann 1024 / hop 256 @ 16000 Hz");
        assertThatThrownBy(() -> PhaseInverter.builder()
                        .method(Method.RTPGHI)
                        .stft(c)
                        .sampleRate(22050)
                        .build()
                        .restore(state))
                .hasMessageContaining("16000 Hz; this inverter runs Hann 512 / hop 128 @ 22050 Hz");

        PhaseModel builtin = PhaseModel.builtin("proposed", c);
        float[] p = builtin.params();
        p[0] += 1e-3f;
        PhaseModel other = builtin.withParams(p);
        PhaseInverter mine = PhaseInverter.builder().model(other).stft(c).build();
        pushRange(mine, mag, 0, 5, new float[5 * c.hop()]);
        assertThatThrownBy(() -> build(Method.PHASEGRAD, c).restore(mine.snapshot()))
                .hasMessageContaining("snapshot was taken with the model of checksum")
                .hasMessageContaining(String.format("this inverter runs 0x%08x", builtin.checksum()));
    }

    @Test
    void truncatedOrCorruptSnapshotsAreRefusedAndLeaveTheStreamAlone() {
        StftConfig c = StftConfig.HANN_512_128;
        float[][] mag = speech(c);
        PhaseInverter source =
                build(Method.PHASEGRAD_STRIDED.availableAt(c) ? Method.PHASEGRAD_STRIDED : Method.PHASEGRAD, c);
        int at = 37;
        pushRange(source, mag, 0, at, new float[at * c.hop()]);
        byte[] state = source.snapshot();

        PhaseInverter target = build(source.method(), c);
        pushRange(target, mag, 0, at, new float[at * c.hop()]);
        byte[] before = target.snapshot();
        int header = 4 + 2 + 1 + source.method().catalogueName().length() + 16 + 4 + 8 + 4;
        for (int len : new int[] {0, 3, 6, 7, header - 1, header, header + 100, state.length - 4, state.length - 1}) {
            assertThatThrownBy(() -> target.restore(Arrays.copyOf(state, len)))
                    .as("%d bytes", len)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("truncated");
        }
        Random r = new Random(7);
        for (int i = 0; i < 40; i++) {
            byte[] bad = state.clone();
            int pos = header + r.nextInt(state.length - header);
            bad[pos] ^= (byte) (1 << r.nextInt(8));
            assertThatThrownBy(() -> target.restore(bad))
                    .as("bit flipped at byte %d", pos)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("corrupt");
        }
        byte[] magic = state.clone();
        magic[0] = 'X';
        assertThatThrownBy(() -> target.restore(magic)).hasMessageContaining("not a phasegrad stream snapshot");
        byte[] version = state.clone();
        version[5] = 2;
        assertThatThrownBy(() -> target.restore(version))
                .hasMessage(
                        "snapshot format version 2 cannot be read by this version of phasegrad, which reads version 1 only");
        assertThatThrownBy(() -> target.restore((byte[]) null)).hasMessage("snapshot is null");
        assertThat(target.snapshot()).as("failed restores changed nothing").isEqualTo(before);
    }

    /** A snapshot with a valid checksum but a state no stream reaches (negative frame counter of the estimator). */
    @Test
    void anImpossibleStateBehindAValidChecksumIsRefused() {
        StftConfig c = StftConfig.HANN_512_128;
        PhaseInverter inv = build(Method.LS_HEURISTIC, c);
        pushRange(inv, speech(c), 0, 4, new float[4 * c.hop()]);
        byte[] state = inv.snapshot();
        int body = 4 + 2 + 1 + "ls-heuristic".length() + 16 + 4 + 8 + 4;
        ByteBuffer b = ByteBuffer.wrap(state).order(ByteOrder.BIG_ENDIAN);
        b.putLong(body, -5);
        CRC32 crc = new CRC32();
        crc.update(state, 0, state.length - 4);
        b.putInt(state.length - 4, (int) crc.getValue());
        assertThatThrownBy(() -> inv.restore(state))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("impossible state")
                .hasMessageContaining("frame counter -5");
        assertThat(inv.frames()).isZero();
    }

    @Test
    void snapshotsGoIntoAndComeOutOfByteBuffersOfAnyOrder() {
        StftConfig c = StftConfig.HANN_512_128;
        float[][] mag = speech(c);
        PhaseInverter inv = build(Method.RTISI_LA, c);
        pushRange(inv, mag, 0, 9, new float[9 * c.hop()]);
        ByteBuffer buf = ByteBuffer.allocate(inv.snapshotSize() + 10).order(ByteOrder.LITTLE_ENDIAN);
        buf.position(3);
        inv.snapshot(buf);
        assertThat(buf.position()).isEqualTo(3 + inv.snapshotSize());
        assertThat(buf.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
        byte[] copy = Arrays.copyOfRange(buf.array(), 3, 3 + inv.snapshotSize());
        assertThat(copy).isEqualTo(inv.snapshot());
        buf.position(3);
        PhaseInverter other = build(Method.RTISI_LA, c);
        other.restore(buf);
        assertThat(buf.position()).isEqualTo(3 + inv.snapshotSize());
        assertThat(other.snapshot()).isEqualTo(copy);
        assertThatThrownBy(() -> inv.snapshot(ByteBuffer.allocate(10))).hasMessageContaining("buffer has 10 left");
    }
}
