package dev.phasegrad;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phasegrad.features.FeatureGrid;
import dev.phasegrad.features.FeatureSpec;
import dev.phasegrad.features.LogMelAnalysis;
import dev.phasegrad.stft.Stft;
import dev.phasegrad.stft.StftConfig;
import dev.phasegrad.testing.TestAudio;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random streams through every streaming method (every {@link Method} at every setting it exists at)
 * and through {@link MelVocoder}: random frames (silence, denormals, magnitudes up to
 * {@link PhaseInverter#MAX_MAGNITUDE}, tiny ones, random spectra, single bins, speech at any level,
 * sudden silence), random lengths, and push / pushLog / flush / reset / snapshot-restore in any order,
 * with bad frames among them. Every valid call writes finite samples, as many as the contract says;
 * every bad frame gets an IllegalArgumentException with a one-line message naming the frame, and leaves
 * the stream as it was; nothing else is ever thrown.
 */
class StreamingPropertyTest {
    private static final List<StftConfig> CONFIGS = List.of(StftConfig.HANN_512_128, StftConfig.DEFAULT);

    record Setting(Method method, StftConfig config, float[][] speech) {}

    private static final List<Setting> SETTINGS = settings();

    private static List<Setting> settings() {
        List<Setting> out = new ArrayList<>();
        for (StftConfig c : CONFIGS) {
            float[][] speech = Stft.analyse(TestAudio.clip(c.sampleRate()), c).magnitude();
            for (Method m : Method.values()) {
                if (m.availableAt(c)) {
                    out.add(new Setting(m, c, speech));
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ frames

    /** A valid magnitude frame of one of the kinds a stream may carry. */
    static float[] frame(Random r, int bins, float[][] speech) {
        float[] f = new float[bins];
        switch (r.nextInt(10)) {
            case 0 -> {} // digital silence
            case 1 -> { // denormals and the smallest normals
                for (int k = 0; k < bins; k++) {
                    f[k] = r.nextInt(3) == 0 ? 0f : Float.MIN_VALUE * (1 + r.nextInt(1 << 20));
                }
            }
            case 2 -> Arrays.fill(f, (float) PhaseInverter.MAX_MAGNITUDE); // the bound itself, everywhere
            case 3 -> { // a random spectrum over many decades
                for (int k = 0; k < bins; k++) {
                    f[k] = (float) Math.min(
                            Math.abs(r.nextGaussian()) * Math.pow(10, -40 + 55 * r.nextDouble()),
                            PhaseInverter.MAX_MAGNITUDE);
                }
            }
            case 4 -> f[r.nextInt(bins)] = (float) Math.pow(10, -30 + 45 * r.nextDouble()); // one bin
            default -> { // speech at any level, up to the bound
                float[] s = speech[r.nextInt(speech.length)];
                float peak = 0;
                for (float v : s) {
                    peak = Math.max(peak, v);
                }
                double level = r.nextInt(4) == 0
                        ? PhaseInverter.MAX_MAGNITUDE / Math.max(peak, 1e-30f)
                        : Math.pow(10, -30 + 34 * r.nextDouble());
                for (int k = 0; k < bins; k++) {
                    f[k] = (float) Math.min(s[k] * level, PhaseInverter.MAX_MAGNITUDE);
                }
            }
        }
        if (r.nextInt(8) == 0) { // a few bins at the extremes
            float[] extremes = {0f, -0f, Float.MIN_VALUE, Float.MIN_NORMAL, (float) PhaseInverter.MAX_MAGNITUDE};
            for (int i = r.nextInt(4); i >= 0; i--) {
                f[r.nextInt(bins)] = extremes[r.nextInt(extremes.length)];
            }
        }
        return f;
    }

    /** A frame push must refuse, with a word of its message. */
    record Bad(float[] frame, String says) {}

    static Bad badFrame(Random r, int bins, float[][] speech, boolean log) {
        if (r.nextInt(6) == 0) {
            return r.nextBoolean()
                    ? new Bad(null, "null")
                    : new Bad(new float[r.nextBoolean() ? bins - 1 : bins + 1 + r.nextInt(3)], "expected " + bins);
        }
        float[] f = frame(r, bins, speech);
        if (log) {
            toLog(f);
        }
        int k = r.nextInt(bins);
        float[] values = log
                ? new float[] {Float.NaN, Float.POSITIVE_INFINITY, 35f, Float.MAX_VALUE}
                : new float[] {
                    Float.NaN,
                    Float.POSITIVE_INFINITY,
                    Float.NEGATIVE_INFINITY,
                    -1f,
                    -Float.MIN_VALUE,
                    1.0001e15f,
                    Float.MAX_VALUE
                };
        f[k] = values[r.nextInt(values.length)];
        return new Bad(f, "bin " + k);
    }

    /** Just below ln of the bound: ln and exp in float may round a magnitude at the bound past it. */
    private static final float LOG_MAX = (float) Math.log(PhaseInverter.MAX_MAGNITUDE) - 1e-5f;

    static void toLog(float[] f) {
        for (int k = 0; k < f.length; k++) {
            f[k] = Math.min((float) Math.log(f[k]), LOG_MAX); // 0 → −∞, silence
        }
    }

    // ------------------------------------------------------------------ the stream

    /** One stream's bookkeeping: what the contract says the samples so far must be. */
    static final class Stream {
        final Setting setting;
        PhaseInverter inv;
        long pushed;

        Stream(Setting s) {
            this.setting = s;
            this.inv = build(s);
        }

        static PhaseInverter build(Setting s) {
            return PhaseInverter.builder().method(s.method()).stft(s.config()).build();
        }
    }

    static void assertFinite(float[] x, int from, int n, String what) {
        for (int i = from; i < from + n; i++) {
            if (!Float.isFinite(x[i])) {
                throw new AssertionError(what + ": sample " + (i - from) + " is " + x[i]);
            }
        }
    }

    /** Runs {@code ops} random calls on a stream of {@code s}; throws AssertionError on any breach. */
    static void randomStream(Setting s, Random r, int ops) {
        Stream st = new Stream(s);
        int bins = s.config().bins();
        int hop = st.inv.hop();
        int latency = st.inv.latencySamples();
        int lookahead = st.inv.lookahead();
        float[] out = new float[latency + hop + 3];
        int silence = 0;
        for (int op = 0; op < ops; op++) {
            String what = s.method() + " at " + s.config() + ", op " + op + " (frame " + st.pushed + ")";
            try {
                int dice = r.nextInt(100);
                if (silence > 0 || dice < 70) {
                    boolean log = r.nextInt(4) == 0;
                    float[] f = silence > 0 ? new float[bins] : frame(r, bins, s.speech());
                    silence = Math.max(0, silence - 1);
                    if (log) {
                        toLog(f);
                    }
                    int at = r.nextInt(3);
                    Arrays.fill(out, Float.NaN);
                    int n = log ? st.inv.pushLog(f, out, at) : st.inv.push(f, out, at);
                    assertThat(n).as(what).isEqualTo(hop);
                    assertFinite(out, at, n, what);
                    if (st.pushed < lookahead) {
                        for (int i = at; i < at + n; i++) {
                            assertThat(out[i])
                                    .as("%s: the look-ahead's zeros", what)
                                    .isZero();
                        }
                    }
                    st.pushed++;
                    assertThat(st.inv.frames()).as(what).isEqualTo(st.pushed);
                } else if (dice < 72) {
                    silence = 1 + r.nextInt(24); // sudden silence
                } else if (dice < 82) {
                    boolean log = r.nextBoolean();
                    Bad bad = badFrame(r, bins, s.speech(), log);
                    byte[] before = st.inv.snapshot();
                    try {
                        if (log) {
                            st.inv.pushLog(bad.frame(), out);
                        } else {
                            st.inv.push(bad.frame(), out);
                        }
                        throw new AssertionError(what + ": a bad frame was accepted: " + Arrays.toString(bad.frame()));
                    } catch (IllegalArgumentException e) {
                        assertThat(e.getMessage())
                                .as(what)
                                .doesNotContain("\n")
                                .contains("frame " + st.pushed)
                                .contains(bad.says());
                    }
                    assertThat(st.inv.snapshot())
                            .as("%s: a refused frame leaves the stream as it was", what)
                            .isEqualTo(before);
                } else if (dice < 88) {
                    Arrays.fill(out, Float.NaN);
                    int at = r.nextInt(3);
                    int n = st.inv.flush(out, at);
                    assertThat(n).as(what).isEqualTo(latency);
                    assertFinite(out, at, n, what + ", flush");
                    assertThat(st.inv.frames()).isZero();
                    st.pushed = 0;
                } else if (dice < 91) {
                    st.inv.reset();
                    assertThat(st.inv.frames()).isZero();
                    st.pushed = 0;
                } else {
                    // carry the stream over to a new inverter; both continue alike for a few frames
                    PhaseInverter next = Stream.build(s);
                    next.restore(st.inv.snapshot());
                    assertThat(next.frames()).isEqualTo(st.pushed);
                    float[] a = new float[hop];
                    float[] b = new float[hop];
                    for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
                        float[] f = frame(r, bins, s.speech());
                        st.inv.push(f, a);
                        next.push(f, b);
                        assertThat(b)
                                .as("%s: restored stream, frame %d", what, i)
                                .containsExactly(a);
                        assertFinite(a, 0, hop, what);
                        st.pushed++;
                    }
                    st.inv = next;
                }
            } catch (AssertionError e) {
                throw e;
            } catch (Throwable t) {
                throw new AssertionError(what + ": undocumented " + t, t);
            }
        }
        // the end of the stream, as every stream ends
        Arrays.fill(out, Float.NaN);
        assertThat(st.inv.flush(out)).isEqualTo(latency);
        assertFinite(out, 0, latency, s.method() + " final flush");
    }

    /** Every method but masuyama2023, whose network costs 50 times phasegrad's per frame (below). */
    @Property(tries = 150)
    void everyStreamingMethodGivesFiniteSamplesOfTheDocumentedLengthsOrTheDocumentedError(@ForAll long seed) {
        Random r = new Random(seed);
        List<Setting> cheap =
                SETTINGS.stream().filter(s -> s.method() != Method.MASUYAMA2023).toList();
        Setting s = cheap.get(r.nextInt(cheap.size()));
        randomStream(s, r, 1 + r.nextInt(r.nextInt(6) == 0 ? 400 : 80));
    }

    @Property(tries = 8)
    void masuyama2023GivesFiniteSamplesOfTheDocumentedLengthsOrTheDocumentedError(@ForAll long seed) {
        Random r = new Random(seed);
        Setting s = SETTINGS.stream()
                .filter(x -> x.method() == Method.MASUYAMA2023)
                .findFirst()
                .orElseThrow();
        randomStream(s, r, 1 + r.nextInt(16));
    }

    // ------------------------------------------------------------------ MelVocoder

    private static final List<FeatureSpec> SPECS = List.of(FeatureSpec.HIFIGAN, FeatureSpec.VOCOS);
    private static final List<float[][]> MELS = SPECS.stream()
            .map(spec -> new LogMelAnalysis(spec).logMel(TestAudio.clip(spec.sampleRate())))
            .toList();

    /** A log-mel frame: speech's, silence at the spec's floor, random values, or values near and past the bound. */
    static float[] melFrame(Random r, int bands, float[][] mel) {
        float[] f;
        switch (r.nextInt(6)) {
            case 0 -> {
                f = new float[bands];
                Arrays.fill(f, (float) Math.log(1e-5)); // silence, as HiFi-GAN's floor writes it
            }
            case 1 -> {
                f = new float[bands];
                for (int b = 0; b < bands; b++) {
                    f[b] = (float) (-40 + 70 * r.nextDouble());
                }
            }
            case 2 -> {
                f = mel[r.nextInt(mel.length)].clone();
                f[r.nextInt(bands)] =
                        new float[] {-Float.MAX_VALUE, -1e30f, 30f, 40f, 1e30f, Float.MAX_VALUE}[r.nextInt(6)];
            }
            default -> {
                f = mel[r.nextInt(mel.length)].clone();
                float shift = r.nextInt(3) == 0 ? (float) (-20 + 40 * r.nextDouble()) : 0f;
                for (int b = 0; b < bands; b++) {
                    f[b] += shift;
                }
            }
        }
        return f;
    }

    @Property(tries = 40)
    void melVocoderGivesFiniteSamplesOfTheReferenceLengthOrTheDocumentedError(@ForAll long seed) {
        Random r = new Random(seed);
        int which = r.nextInt(SPECS.size());
        FeatureSpec spec = SPECS.get(which);
        float[][] mel = MELS.get(which);
        List<Method> methods = Arrays.stream(Method.values())
                .filter(m -> m != Method.MASUYAMA2023 && m.availableAt(spec.stft()))
                .toList();
        Method method = methods.get(r.nextInt(methods.size()));
        MelVocoder.Builder builder = MelVocoder.builder().features(spec).method(method);
        MelVocoder voc = builder.build();
        int bands = voc.bands();
        float[] pcm = new float[voc.hop()];
        float[] tail = new float[voc.maxFlushSamples()];
        long frames = 0;
        long samples = 0;
        for (int op = 0, ops = 1 + r.nextInt(120); op <= ops; op++) {
            String what = spec.name() + " / " + method + ", op " + op + " (frame " + frames + ")";
            try {
                int dice = op == ops ? 99 : r.nextInt(100);
                if (dice < 75) {
                    float[] f = melFrame(r, bands, mel);
                    byte[] before = voc.snapshot();
                    Arrays.fill(pcm, Float.NaN);
                    int n;
                    try {
                        n = voc.push(f, pcm);
                    } catch (IllegalArgumentException e) {
                        // values above ln of the magnitude bound: refused, naming frame and band, stream unchanged
                        assertThat(e.getMessage())
                                .as(what)
                                .doesNotContain("\n")
                                .contains("frame " + frames)
                                .contains("band", "bound");
                        assertThat(voc.snapshot()).as(what).isEqualTo(before);
                        continue;
                    }
                    assertThat(n).as(what).isBetween(0, voc.hop());
                    if (samples > 0) {
                        assertThat(n)
                                .as("%s: once the output runs, a hop per frame", what)
                                .isEqualTo(voc.hop());
                    }
                    assertFinite(pcm, 0, n, what);
                    frames++;
                    samples += n;
                } else if (dice < 85) {
                    float[] f = r.nextInt(4) == 0
                            ? (r.nextBoolean() ? null : new float[bands + 1])
                            : melFrame(r, bands, mel);
                    if (f != null && f.length == bands) {
                        f[r.nextInt(bands)] =
                                new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}[r.nextInt(3)];
                    }
                    byte[] before = voc.snapshot();
                    try {
                        voc.push(f, pcm);
                        throw new AssertionError(what + ": a bad frame was accepted");
                    } catch (IllegalArgumentException e) {
                        assertThat(e.getMessage()).as(what).doesNotContain("\n").contains("frame " + frames);
                    }
                    assertThat(voc.snapshot()).as(what).isEqualTo(before);
                } else if (dice < 90) {
                    MelVocoder next = builder.build();
                    next.restore(voc.snapshot());
                    voc = next;
                } else if (dice < 93) {
                    voc.reset();
                    frames = 0;
                    samples = 0;
                } else {
                    Arrays.fill(tail, Float.NaN);
                    int n = voc.flush(tail);
                    assertFinite(tail, 0, n, what + ", flush");
                    assertThat(samples + n)
                            .as("%s: samples of %d frames", what, frames)
                            .isEqualTo(FeatureGrid.outputLength(spec, frames));
                    frames = 0;
                    samples = 0;
                }
            } catch (AssertionError e) {
                throw e;
            } catch (Throwable t) {
                throw new AssertionError(what + ": undocumented " + t, t);
            }
        }
    }
}
