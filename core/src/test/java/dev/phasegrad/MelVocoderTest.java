package dev.phasegrad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.phasegrad.audio.Audio;
import dev.phasegrad.features.FeatureGrid;
import dev.phasegrad.features.FeatureSpec;
import dev.phasegrad.features.LogMelAnalysis;
import dev.phasegrad.features.MelInversion;
import dev.phasegrad.features.MelRefiner;
import dev.phasegrad.features.MelToMagnitude;
import dev.phasegrad.invert.Inverter;
import dev.phasegrad.invert.Methods;
import dev.phasegrad.nn.PhaseModel;
import dev.phasegrad.stft.Spectrogram;
import dev.phasegrad.testing.Allocations;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MelVocoderTest {
    static float[] clip(FeatureSpec spec) throws IOException {
        return Audio.readResource("/fixtures/mel/auth-incorrect-" + spec.sampleRate() + ".wav")
                .samples();
    }

    /** The stream, hop by hop, then the flush; plus a snapshot handed to a new vocoder at frame {@code handOver}. */
    static float[] stream(MelVocoder.Builder b, float[][] features, int handOver) {
        MelVocoder voc = b.build();
        float[] out = new float[features.length * voc.hop() + voc.maxFlushSamples()];
        float[] pcm = new float[voc.hop()];
        int n = 0;
        for (int t = 0; t < features.length; t++) {
            if (t == handOver) {
                MelVocoder next = b.build();
                next.restore(voc.snapshot());
                voc = next;
            }
            int w = voc.push(features[t], pcm);
            System.arraycopy(pcm, 0, out, n, w);
            n += w;
        }
        float[] tail = new float[voc.maxFlushSamples()];
        int w = voc.flush(tail);
        System.arraycopy(tail, 0, out, n, w);
        return Arrays.copyOf(out, n + w);
    }

    @ParameterizedTest
    @CsvSource({
        "hifigan, rtpghi, nnls",
        "hifigan, rtisi-la, refiner",
        "vocos, spsi, nnls",
        "vocos, ls-heuristic-la1, refiner",
        "hifigan, phasegrad, refiner"
    })
    void theStreamIsTheOfflinePathBitForBitWithTheReferenceLength(String preset, String method, String step)
            throws IOException {
        FeatureSpec spec = FeatureSpec.preset(preset);
        float[][] features = new LogMelAnalysis(spec).logMel(clip(spec));
        MelToMagnitude melToMagnitude = step.equals("nnls")
                ? new MelInversion(spec)
                : MelRefiner.builtin(spec).orElseThrow();
        MelVocoder.Builder b = MelVocoder.builder()
                .features(spec)
                .method(Method.fromName(method))
                .melToMagnitude(melToMagnitude);
        float[] streamed = stream(b, features, -1);
        assertThat(streamed).hasSize(FeatureGrid.outputLength(spec, features.length));

        MelToMagnitude.Worker w = melToMagnitude.newWorker();
        float[][] magnitude = new float[features.length][spec.bins()];
        for (int t = 0; t < features.length; t++) {
            w.magnitude(features[t], magnitude[t]);
        }
        // phasegrad on mel takes the model trained on the preset's mel path where one ships
        Optional<PhaseModel> melModel = Method.fromName(method).usesModel()
                ? PhaseModel.builtinForFeatures("proposed", spec)
                : Optional.empty();
        Inverter inverter = melModel.isPresent()
                ? Methods.network(method, melModel.get(), spec.stft())
                : Methods.streaming(method, spec.stft(), null);
        Spectrogram rec = inverter.reconstruct(magnitude, streamed.length);
        float[] offline = FeatureGrid.synthesise(rec, spec, streamed.length);
        assertThat(streamed).containsExactly(offline);

        assertThat(stream(b, features, 57)).as("handed over at frame 57").containsExactly(streamed);
    }

    @Test
    void thePresetsRefinerIsTheDefaultMelStepAndNnlsServesAnyOtherSpec() {
        assertThat(MelVocoder.builder().build().melToMagnitude()).isInstanceOf(MelRefiner.class);
        assertThat(MelVocoder.builder().features(FeatureSpec.VOCOS).build().melToMagnitude())
                .isInstanceOf(MelRefiner.class);
        FeatureSpec custom = FeatureSpec.parse("vocos,bands=80");
        assertThat(MelVocoder.builder().features(custom).build().melToMagnitude())
                .isInstanceOf(MelInversion.class);
    }

    @Test
    void aSnapshotRefusesAVocoderWithAnotherMelStepAndDamage() throws IOException {
        FeatureSpec spec = FeatureSpec.HIFIGAN;
        float[][] features = new LogMelAnalysis(spec).logMel(clip(spec));
        MelVocoder refined = MelVocoder.builder().features(spec).build();
        float[] pcm = new float[refined.hop()];
        for (int t = 0; t < 10; t++) {
            refined.push(features[t], pcm);
        }
        byte[] snap = refined.snapshot();
        assertThat(snap).hasSize(refined.snapshotSize());
        MelVocoder nnls = MelVocoder.builder()
                .features(spec)
                .melToMagnitude(new MelInversion(spec))
                .build();
        assertThatThrownBy(() -> nnls.restore(snap)).hasMessageContaining("built with another mel step");
        byte[] bad = snap.clone();
        bad[20] ^= 1;
        MelVocoder other = MelVocoder.builder().features(spec).build();
        assertThatThrownBy(() -> other.restore(bad)).hasMessageContaining("damaged");
        assertThatThrownBy(() -> other.restore(new byte[] {1, 2, 3})).hasMessageContaining("not a mel vocoder");
        other.restore(snap);
        float[] a = new float[refined.hop()];
        float[] b = new float[refined.hop()];
        for (int t = 10; t < 20; t++) {
            int n = refined.push(features[t], a);
            assertThat(other.push(features[t], b)).isEqualTo(n);
            assertThat(Arrays.copyOf(b, n)).containsExactly(Arrays.copyOf(a, n));
        }
    }

    @Test
    void phasegradOnMelTakesTheModelTrainedOnThePresetsMelPathWhereOneShips() throws IOException {
        FeatureSpec spec = FeatureSpec.HIFIGAN;
        PhaseModel mel = PhaseModel.builtinForFeatures("proposed", spec).orElseThrow();
        PhaseModel linear = PhaseModel.builtin("proposed", spec.stft());
        assertThat(mel.checksum()).isNotEqualTo(linear.checksum());
        // read once per process and shared by every vocoder, as the refiner is
        assertThat(PhaseModel.builtinForFeatures("proposed", spec).orElseThrow())
                .isSameAs(mel);
        assertThat(PhaseModel.builtin("proposed", spec.stft())).isSameAs(linear);
        assertThat(MelVocoder.builder().features(spec).build().melToMagnitude())
                .isSameAs(MelRefiner.builtin("hifigan"));
        assertThat(PhaseModel.builtinForFeatures("proposed", FeatureSpec.parse("hifigan,bands=64")))
                .isEmpty();
        float[][] features = Arrays.copyOf(new LogMelAnalysis(spec).logMel(clip(spec)), 60);
        float[] byDefault = stream(MelVocoder.builder().features(spec).method(Method.PHASEGRAD), features, -1);
        float[] withMel = stream(MelVocoder.builder().features(spec).model(mel), features, -1);
        float[] withLinear = stream(MelVocoder.builder().features(spec).model(linear), features, -1);
        assertThat(byDefault).containsExactly(withMel);
        assertThat(byDefault).isNotEqualTo(withLinear);
    }

    @Test
    void thePhaseMethodForMelIsPhasegradWhereAModelShipsElseRtpghiWithOneFrameOfLookAheadUnlessChosen() {
        assertThat(MelVocoder.builder().build().method()).isEqualTo(Method.PHASEGRAD);
        assertThat(MelVocoder.builder().features(FeatureSpec.VOCOS).build().method())
                .isEqualTo(Method.PHASEGRAD);
        assertThat(MelVocoder.builder()
                        .features(FeatureSpec.parse("hifigan,rate=44100"))
                        .build()
                        .method())
                .isEqualTo(Method.RTPGHI_LA1);
        assertThat(MelVocoder.builder().method(Method.SPSI).build().method()).isEqualTo(Method.SPSI);
    }

    @Test
    void badFramesNameFrameAndBand() {
        MelVocoder voc = MelVocoder.builder()
                .features(FeatureSpec.VOCOS)
                .method(Method.SPSI)
                .build();
        float[] pcm = new float[voc.hop()];
        assertThatThrownBy(() -> voc.push(new float[80], pcm))
                .hasMessage("feature frame 0 has 80 values, expected 100 (vocos bands)");
        float[] f = new float[100];
        Arrays.fill(f, -5f);
        voc.push(f, pcm);
        f[7] = Float.NaN;
        assertThatThrownBy(() -> voc.push(f, pcm)).hasMessage("feature frame 1 band 7 must be finite, got NaN");
    }

    @Test
    void aFrameAllocatesNothing() throws IOException {
        FeatureSpec spec = FeatureSpec.HIFIGAN;
        float[][] features = new LogMelAnalysis(spec).logMel(clip(spec));
        MelVocoder voc =
                MelVocoder.builder().features(spec).method(Method.RTPGHI).build(); // with the preset's refiner
        float[] pcm = new float[voc.hop()];
        float[] tail = new float[voc.maxFlushSamples()];
        Runnable pass = () -> {
            for (float[] f : features) {
                voc.push(f, pcm);
            }
            voc.flush(tail);
        };
        for (int i = 0; i < 3; i++) {
            pass.run();
        }
        assertThat(Allocations.steadyState(pass)).isZero();
    }

    /**
     * A day and more of frames: past 2^31 / hop frames (27 h of HiFi-GAN frames, 24.9 h of Vocos ones) the
     * output length in samples no longer fits an int, and the flush still writes the stream's whole tail.
     * The stream is brought there by its snapshot's frame counter, the one number that grows with it.
     */
    @ParameterizedTest
    @CsvSource({"hifigan, 8400000", "vocos, 8400000", "hifigan, 3000000000"})
    void aStreamOfMoreThanADayFlushesItsWholeTail(String preset, long frames) throws IOException {
        FeatureSpec spec = FeatureSpec.preset(preset);
        float[][] features = Arrays.copyOf(new LogMelAnalysis(spec).logMel(clip(spec)), 60);
        MelVocoder.Builder b = MelVocoder.builder().features(spec).method(Method.RTPGHI_LA1);
        MelVocoder voc = b.build();
        float[] pcm = new float[voc.hop()];
        for (float[] f : features) {
            voc.push(f, pcm);
        }
        byte[] snapshot = voc.snapshot();
        MelVocoder later = b.build();
        later.restore(withFrameCounter(snapshot, frames));
        float[] tail = new float[voc.maxFlushSamples()];
        float[] laterTail = new float[voc.maxFlushSamples()];
        int n = voc.flush(tail);
        assertThat(n).isPositive();
        assertThat(later.flush(laterTail))
                .as("samples flushed after %d frames", frames)
                .isEqualTo(n);
        assertThat(laterTail).containsExactly(tail);
    }

    /**
     * The vocoder snapshot with another frame counter in its inverter's snapshot (after the vocoder's header
     * and mel state; the counter follows magic, version, name, settings and model), that part's CRC redone.
     */
    static byte[] withFrameCounter(byte[] snapshot, long frames) {
        ByteBuffer b = ByteBuffer.wrap(snapshot.clone());
        int inner = 16 + b.getInt(8);
        int at = inner + 4 + 2 + 1 + (b.get(inner + 6) & 0xFF) + 4 * 4 + 4;
        b.putLong(at, frames);
        CRC32 crc = new CRC32();
        crc.update(b.array(), inner, b.capacity() - 4 - inner);
        b.putInt(b.capacity() - 4, (int) crc.getValue());
        return b.array();
    }
}
