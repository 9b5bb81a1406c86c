package dev.phasegrad;

import dev.phasegrad.features.FeatureGrid;
import dev.phasegrad.features.FeatureSpec;
import dev.phasegrad.features.MelInversion;
import dev.phasegrad.features.MelRefiner;
import dev.phasegrad.features.MelToMagnitude;
import dev.phasegrad.integrate.FiniteNonNegative;
import dev.phasegrad.invert.Methods;
import dev.phasegrad.nn.PhaseModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * Streaming mel vocoder: log-mel frames in (as a TTS acoustic model emits them for HiFi-GAN, Vocos or
 * a {@link FeatureSpec} of one's own), audio out, one hop per frame. Each frame goes mel → linear
 * magnitude ({@link MelToMagnitude}: the preset's {@link MelRefiner} when one ships, else NNLS,
 * {@link MelInversion}) → phase ({@link PhaseInverter}, any streaming {@link Method}) → overlap-add,
 * all causal.
 *
 * <pre>{@code
 * MelVocoder voc = MelVocoder.builder().features(FeatureSpec.HIFIGAN).method(Method.RTPGHI_LA1).build();
 * float[] pcm = new float[voc.hop()];
 * for (float[] logMel : frames) {                  // 80 values each, ln(max(mel, 1e-5)) as HiFi-GAN's
 *     sink.write(pcm, 0, voc.push(logMel, pcm));
 * }
 * float[] tail = new float[voc.maxFlushSamples()];
 * sink.write(tail, 0, voc.flush(tail));
 * }</pre>
 *
 * <h2>Alignment and length</h2>
 * The output is sample-aligned with the audio the features were computed from, as the reference
 * vocoders' outputs are: over a whole stream, output sample i reconstructs input sample i, and a
 * stream of F frames gives {@link FeatureGrid#outputLength} samples (HiFi-GAN: 256 F; Vocos:
 * 256 (F − 1)). To get there the first padding + lookahead · hop samples of the inverter's output (the
 * feature grid's offset, {@link FeatureGrid#streamSkip}, and the look-ahead's zeros) are not emitted,
 * so the first pushes write fewer than {@link #hop()} samples (none at first); every
 * later push writes exactly one hop, and {@link #flush} writes the rest. The return value of every
 * call says how many samples it wrote. In time, input sample i comes out when the frame that
 * completes it has been pushed, {@link #latencySamples()} samples later than a zero-delay system would.
 *
 * <p>One instance per stream; not thread safe; nothing allocated per frame. {@link #snapshot} and
 * {@link #restore} carry a stream over to another vocoder built the same way.
 *
 * <h2>Snapshot format, version 1</h2>
 * Big-endian: magic {@code "PGMV"}, int version, int n, n bytes of the mel → magnitude step's state
 * (none for NNLS; the refiner's last frames), int CRC-32 of everything before it, then the
 * {@link PhaseInverter#snapshot() inverter's snapshot} (with its own CRC). A reader refuses other
 * versions, as {@link PhaseInverter} does.
 */
public final class MelVocoder {
    /** The snapshot format version this class writes and the only one it reads. */
    public static final int SNAPSHOT_VERSION = 1;
    /** The largest feature value accepted: ln {@link PhaseInverter#MAX_MAGNITUDE}, no mel of audio comes near. */
    private static final float MAX_FEATURE = (float) Math.log(PhaseInverter.MAX_MAGNITUDE);

    private static final int MAGIC = 0x50474d56; // "PGMV"

    private final FeatureSpec spec;
    private final MelToMagnitude.Worker mel;
    private final PhaseInverter inverter;
    private final float[] magnitude;
    private final float[] block;
    /** Inverter output samples never emitted: the feature grid's offset plus the look-ahead's zeros. */
    private final int skip;
    /** Window products for the envelope at the stream's ends ({@link FeatureGrid#normaliseEdges}). */
    private final double[] product;

    private final MelToMagnitude melToMagnitude;

    private MelVocoder(FeatureSpec spec, MelToMagnitude melToMagnitude, PhaseInverter inverter) {
        this.spec = spec;
        this.melToMagnitude = melToMagnitude;
        this.mel = melToMagnitude.newWorker();
        this.inverter = inverter;
        this.magnitude = new float[spec.bins()];
        this.block = new float[Math.max(inverter.hop(), inverter.latencySamples())];
        this.skip = FeatureGrid.streamSkip(spec) + inverter.lookahead() * inverter.hop();
        this.product = FeatureGrid.windowProduct(spec);
    }

    /**
     * Starts building a vocoder.
     *
     * @return a builder with the defaults {@link FeatureSpec#HIFIGAN}, the preset's mel refiner and
     *     {@link Builder#defaultMethod} ({@link Method#PHASEGRAD} for the presets)
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Pushes one feature frame and writes what is ready of the output to {@code pcmOut[0 ..)}.
     *
     * @param features {@link #bands()} values in the spec's log (e.g. ln(max(mel, 1e-5))), finite
     * @param pcmOut   receives up to {@link #hop()} samples
     * @return the samples written: 0 to {@link #hop()} for the first frames, then {@link #hop()}
     * @throws IllegalArgumentException for a wrong length, or a value that is not finite or is above
     *                                  ln {@link PhaseInverter#MAX_MAGNITUDE} = 34.5, naming frame and band; the
     *                                  stream is then unchanged (a magnitude the mel step derives above the
     *                                  bound is held at it)
     */
    public int push(float[] features, float[] pcmOut) {
        int bands = spec.bands();
        long frames = inverter.frames();
        if (features == null || features.length != bands) {
            throw new IllegalArgumentException("feature frame " + frames + " has "
                    + (features == null ? "no values" : features.length + " values") + ", expected " + bands
                    + " (" + spec.name() + " bands)");
        }
        for (int b = 0; b < bands; b++) {
            float v = features[b];
            if (!(v <= MAX_FEATURE) || v == Float.NEGATIVE_INFINITY) {
                throw new IllegalArgumentException("feature frame " + frames + " band " + b
                        + (Float.isFinite(v)
                                ? " is " + v + ", above ln(" + PhaseInverter.MAX_MAGNITUDE + ") = 34.5, the bound on"
                                        + " magnitudes (are the values " + spec.name() + " log-mel features?)"
                                : " must be finite, got " + v));
            }
        }
        requireRoom(pcmOut, inverter.hop(), "push");
        mel.magnitude(features, magnitude);
        if (FiniteNonNegative.firstOutside(magnitude, magnitude.length, PhaseInverter.MAX_MAGNITUDE) >= 0) {
            // features within the bound can still map above it (a narrow band's filter weight is small, and the
            // refiner multiplies): held at the bound, as the inverter accepts nothing larger. Refusing here would
            // come too late, the mel step having taken the frame into its state.
            for (int i = 0; i < magnitude.length; i++) {
                magnitude[i] = Math.min(magnitude[i], (float) PhaseInverter.MAX_MAGNITUDE);
            }
        }
        long produced = inverter.frames() * inverter.hop();
        inverter.push(magnitude, block);
        int n = emit(block, inverter.hop(), produced, pcmOut);
        long first = Math.max(0, produced - skip);
        if (first < FeatureGrid.startZone(spec)) {
            FeatureGrid.normaliseEdges(pcmOut, 0, n, first, spec, product, Long.MAX_VALUE);
        }
        return n;
    }

    /**
     * Ends the stream: writes the remaining samples, up to the length the reference vocoder gives for the
     * frames pushed ({@link FeatureGrid#outputLength}), and resets for the next stream.
     *
     * @param pcmOut receives at most {@link #maxFlushSamples()} samples
     * @return the samples written
     */
    public int flush(float[] pcmOut) {
        return flush(pcmOut, -1);
    }

    /**
     * {@link #flush(float[])} for a stream whose analysed signal's length is known: a signal of L samples
     * can be up to a hop longer than {@link FeatureGrid#outputLength} of its frames (HiFi-GAN's
     * floor(L / 256) frames), and its last samples then come from the overlap-add tail, as an offline
     * synthesis of L samples gives them.
     *
     * @param pcmOut receives at most {@link #maxFlushSamples()} samples
     * @param length the analysed signal's length in samples; -1 for {@link FeatureGrid#outputLength}
     * @return the samples written: up to {@code length} in all, as far as the frames reach
     */
    public int flush(float[] pcmOut, long length) {
        requireRoom(pcmOut, maxFlushSamples(), "flush");
        long frames = inverter.frames();
        long produced = frames * inverter.hop();
        long emitted = Math.max(0, produced - skip);
        long total = length >= 0 ? length : FeatureGrid.outputLength(spec, frames);
        int n = inverter.flush(block); // resets the inverter
        mel.reset();
        int written = emit(block, n, produced, pcmOut);
        int keep = (int) Math.max(0, Math.min(written, total - emitted));
        FeatureGrid.normaliseEdges(pcmOut, 0, keep, emitted, spec, product, frames);
        return keep;
    }

    /** Drops the stream; the next push starts a new one. */
    public void reset() {
        inverter.reset();
        mel.reset();
    }

    /**
     * Copies the part of {@code src[0 .. n)} past the first {@link #skip} samples of the stream to
     * {@code out[0 ..)}; {@code produced} is how many the inverter had produced before this block.
     */
    private int emit(float[] src, int n, long produced, float[] out) {
        int from = (int) Math.min(n, Math.max(0, skip - produced));
        System.arraycopy(src, from, out, 0, n - from);
        return n - from;
    }

    private static void requireRoom(float[] out, int n, String what) {
        if (out == null || out.length < n) {
            throw new IllegalArgumentException(
                    what + " needs an output buffer of " + n + " samples, got " + (out == null ? "null" : out.length));
        }
    }

    /**
     * {@return the samples between a frame's arrival and the output it completes, beyond the STFT's own: see class doc}
     */
    public int latencySamples() {
        return inverter.latencySamples();
    }

    /** {@return the frames of look-ahead of the phase method} */
    public int lookahead() {
        return inverter.lookahead();
    }

    /** {@return the samples per frame once the stream runs} */
    public int hop() {
        return inverter.hop();
    }

    /** {@return the values per feature frame} */
    public int bands() {
        return spec.bands();
    }

    /** {@return the output sample rate in Hz, the feature spec's} */
    public int sampleRate() {
        return spec.sampleRate();
    }

    /** {@return the front end the features come from} */
    public FeatureSpec features() {
        return spec;
    }

    /** {@return the phase method} */
    public Method method() {
        return inverter.method();
    }

    /** {@return the buffer size {@link #flush} may need} */
    public int maxFlushSamples() {
        return inverter.latencySamples();
    }

    /** {@return the mel → magnitude step} */
    public MelToMagnitude melToMagnitude() {
        return melToMagnitude;
    }

    /** {@return the bytes {@link #snapshot()} returns} */
    public int snapshotSize() {
        return 16 + mel.stateBytes() + inverter.snapshotSize();
    }

    /** {@return the stream's state (format in the class documentation)} */
    public byte[] snapshot() {
        ByteBuffer out = ByteBuffer.allocate(snapshotSize()).order(ByteOrder.BIG_ENDIAN);
        out.putInt(MAGIC).putInt(SNAPSHOT_VERSION).putInt(mel.stateBytes());
        mel.saveState(out);
        CRC32 crc = new CRC32();
        crc.update(out.array(), 0, out.position());
        out.putInt((int) crc.getValue());
        inverter.snapshot(out);
        return out.array();
    }

    /**
     * Continues the stream a {@link #snapshot()} was taken of, on a vocoder built the same way.
     *
     * @param snapshot what {@link #snapshot()} returned
     * @throws IllegalArgumentException if it is not a vocoder snapshot of this version, is damaged, or
     *     was taken of a vocoder built otherwise; as {@link PhaseInverter#restore(byte[])} for the
     *     inverter's part. The vocoder is unchanged when this throws.
     */
    public void restore(byte[] snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        ByteBuffer in = ByteBuffer.wrap(snapshot).order(ByteOrder.BIG_ENDIAN);
        if (snapshot.length < 16 || in.getInt() != MAGIC) {
            throw new IllegalArgumentException("not a mel vocoder snapshot (no PGMV header)");
        }
        int version = in.getInt();
        if (version != SNAPSHOT_VERSION) {
            throw new IllegalArgumentException(
                    "mel vocoder snapshot version " + version + ", this version reads " + SNAPSHOT_VERSION);
        }
        int n = in.getInt();
        if (n != mel.stateBytes() || snapshot.length < 16 + n) {
            throw new IllegalArgumentException("the snapshot's mel → magnitude state has " + n
                    + " bytes, this vocoder's has " + mel.stateBytes() + ": built with another mel step");
        }
        CRC32 crc = new CRC32();
        crc.update(snapshot, 0, 12 + n);
        in.position(12 + n);
        if (in.getInt() != (int) crc.getValue()) {
            throw new IllegalArgumentException("mel vocoder snapshot is damaged (CRC mismatch)");
        }
        // the inverter checks and restores its part first, so that a refusal leaves everything as it was
        inverter.restore(ByteBuffer.wrap(snapshot, 16 + n, snapshot.length - 16 - n));
        mel.restoreState(ByteBuffer.wrap(snapshot, 12, n));
    }

    /** Builds a {@link MelVocoder}. */
    public static final class Builder {
        private FeatureSpec spec = FeatureSpec.HIFIGAN;
        private Method method;
        private PhaseModel model;
        private MelToMagnitude melToMagnitude;

        private Builder() {}

        /**
         * The front end the features come from; default {@link FeatureSpec#HIFIGAN}.
         *
         * @param s the feature spec
         * @return this builder
         */
        public Builder features(FeatureSpec s) {
            this.spec = Objects.requireNonNull(s, "features");
            return this;
        }

        /**
         * The phase method; default {@link #defaultMethod}.
         *
         * @param m the method
         * @return this builder
         */
        public Builder method(Method m) {
            this.method = Objects.requireNonNull(m, "method");
            return this;
        }

        /**
         * A phase model of one's own, trained for the spec's STFT ({@link FeatureSpec#stft()}).
         *
         * @param m the model
         * @return this builder
         */
        public Builder model(PhaseModel m) {
            this.model = Objects.requireNonNull(m, "model");
            return this;
        }

        /**
         * The mel → magnitude step, shared across vocoders; default the preset's built-in
         * {@link MelRefiner} when one ships for exactly these features ({@link MelRefiner#builtin(FeatureSpec)}),
         * else a new NNLS {@link MelInversion}.
         *
         * @param m the step
         * @return this builder
         */
        public Builder melToMagnitude(MelToMagnitude m) {
            this.melToMagnitude = Objects.requireNonNull(m, "melToMagnitude");
            return this;
        }

        /**
         * {@return a vocoder with these settings}
         *
         * @throws IllegalArgumentException if the method has no model at the spec's STFT settings, or the
         *                                  mel inversion was made for another spec
         */
        public MelVocoder build() {
            MelToMagnitude inv = melToMagnitude != null ? melToMagnitude : defaultMelToMagnitude(spec);
            if (!inv.spec().equals(spec)) {
                throw new IllegalArgumentException(
                        "the mel → magnitude step is for " + inv.spec().name() + ", features are " + spec.name());
            }
            PhaseInverter.Builder b = PhaseInverter.builder().stft(spec.stft());
            if (model != null) {
                b.model(model); // the method follows the model's kind unless given
                if (method != null) {
                    b.method(method);
                }
            } else {
                Method m = method != null ? method : defaultMethod(spec);
                b.method(m);
                Methods.melPathModel(m.catalogueName(), spec).ifPresent(b::model);
            }
            return new MelVocoder(spec, inv, b.build());
        }

        /**
         * The phase method {@link #build()} uses unless told: {@link Method#PHASEGRAD} (no look-ahead) where
         * a model ships for the front end's STFT, as for both presets, whose validation it leads among the
         * methods with less than three frames of look-ahead; {@link Method#RTPGHI_LA1} elsewhere.
         *
         * @param spec the front end
         * @return the default phase method for it
         */
        public static Method defaultMethod(FeatureSpec spec) {
            return Method.PHASEGRAD.availableAt(spec.stft()) ? Method.PHASEGRAD : Method.RTPGHI_LA1;
        }

        /**
         * The mel → magnitude step {@link #build()} uses unless told.
         *
         * @param spec the front end
         * @return the preset's refiner when one ships for exactly {@code spec}, else NNLS
         */
        public static MelToMagnitude defaultMelToMagnitude(FeatureSpec spec) {
            return MelRefiner.builtin(spec).<MelToMagnitude>map(r -> r).orElseGet(() -> new MelInversion(spec));
        }
    }
}
