package dev.phasegrad;

import dev.phasegrad.integrate.FiniteNonNegative;
import dev.phasegrad.invert.MagnitudeChecks;
import dev.phasegrad.invert.Methods;
import dev.phasegrad.invert.StreamingInverter;
import dev.phasegrad.nn.PhaseModel;
import dev.phasegrad.stft.StftConfig;
import dev.phasegrad.stft.StreamingIstft;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * Streaming spectrogram inversion: STFT magnitude frames in, one at a time, waveform out, one hop at
 * a time. Built by {@link #builder()}; see the package documentation for an example.
 *
 * <h2>Stream</h2>
 * Every {@link #push} takes one magnitude frame ({@link #bins()} values in [0, {@link #MAX_MAGNITUDE}], on the frame grid
 * and in the phase convention of {@link StftConfig}) and writes exactly {@link #hop()} samples. The
 * output is the analysed signal delayed by {@link #latencySamples()} = (N − hop) + lookahead · hop
 * samples: output sample j reconstructs input sample j − latencySamples() (input before sample 0
 * counts as silence), so the first lookahead · hop samples are zeros while the method's look-ahead
 * fills. {@link #flush} ends the stream: it writes the last {@link #latencySamples()} samples (the
 * look-ahead drained with silent frames, then the overlap-add tail) and resets the inverter. A stream
 * of T frames thus gives T · hop + latencySamples() samples.
 *
 * <h2>Cost and threads</h2>
 * {@code push}, {@code pushLog} and {@code flush} allocate nothing. One instance per stream; not
 * thread safe. Models are immutable and shared: built-in ones are loaded once per process, and a
 * {@link PhaseModel} read with {@link PhaseModel#read(java.nio.file.Path)} can serve any number of
 * inverters on any threads.
 *
 * <h2>Snapshots</h2>
 * {@link #snapshot()} captures the whole stream state (the method's past frames, look-ahead queue,
 * counters, and the overlap-add buffer) in a compact, deterministic byte form; {@link #restore} on an
 * inverter built with the same method, STFT settings and model continues the stream bit for bit. Use
 * it to move a stream between processes (a resumed WebSocket session, keyed state in a stream
 * processor). No Java serialization is involved. Format, big-endian:
 * <pre>
 *   4 bytes  magic "PGIS"
 *   2        format version ({@value #SNAPSHOT_VERSION})
 *   1 + n    method catalogue name: length, then ASCII
 *   4 × 4    FFT size, window length, hop, sample rate
 *   4        model checksum ({@link PhaseModel#checksum()}; 0 for methods without a model)
 *   8        frames pushed since the stream started
 *   4        state length L
 *   L        the method's state, then the overlap-add buffer (floats as floats, doubles as doubles)
 *   4        CRC-32 of all preceding bytes
 * </pre>
 * Version rule: a reader accepts only its own format version, and any change to the layout, including
 * the layout of a method's state, bumps it. Sizes per method are listed in {@code docs/API.md}.
 */
public final class PhaseInverter {
    /** The snapshot format version this class writes and the only one it reads. */
    public static final int SNAPSHOT_VERSION = 1;
    /**
     * The largest magnitude {@link #push} accepts, 10^15 (ln 34.5): far above any spectrum of audio (under
     * 65,536 for a full-scale signal at every FFT size phasegrad accepts, 32768 times that for int16-scaled
     * samples) and low enough that no method overflows float32 on the way to the samples.
     */
    public static final double MAX_MAGNITUDE = MagnitudeChecks.MAX_MAGNITUDE;

    private static final int MAGIC = 0x50474953; // "PGIS"

    private final Method method;
    private final StftConfig config;
    private final PhaseModel model;
    private final StreamingInverter inverter;
    private final StreamingIstft istft;
    private final byte[] nameBytes;
    private final int bins;
    private final int hop;
    private final float[] re;
    private final float[] im;
    private final float[] silence;
    private final float[] linear;
    private long frames;

    private PhaseInverter(Method method, StftConfig config, PhaseModel model, StreamingInverter inverter) {
        this.method = method;
        this.config = config;
        this.model = model;
        this.inverter = inverter;
        this.istft = new StreamingIstft(config);
        this.nameBytes = method.catalogueName().getBytes(StandardCharsets.US_ASCII);
        this.bins = config.bins();
        this.hop = config.hop();
        this.re = new float[bins];
        this.im = new float[bins];
        this.silence = new float[bins];
        this.linear = new float[bins];
    }

    /**
     * Starts building an inverter.
     *
     * @return a builder with the defaults: {@link Method#PHASEGRAD}, {@link StftConfig#DEFAULT} (Hann 1024 /
     *         hop 256, 16 kHz)
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Pushes one magnitude frame and writes the next {@link #hop()} output samples to {@code pcmOut[0 .. hop)}.
     *
     * @param magnitude {@link #bins()} magnitudes |X| of the next frame
     * @param pcmOut    receives the samples
     * @return {@link #hop()}, the number of samples written
     * @throws IllegalArgumentException if the frame does not have {@link #bins()} values, has a negative
     *                                  or non-finite value or one above {@link #MAX_MAGNITUDE} (naming frame
     *                                  index and bin), or {@code pcmOut} is too short; the stream is then
     *                                  unchanged
     */
    public int push(float[] magnitude, float[] pcmOut) {
        return push(magnitude, pcmOut, 0);
    }

    /**
     * {@link #push(float[], float[])} writing to {@code pcmOut[offset .. offset + hop)}.
     *
     * @param magnitude {@link #bins()} magnitudes |X| of the next frame
     * @param pcmOut    receives the samples
     * @param offset    where in {@code pcmOut} the first sample goes
     * @return {@link #hop()}, the number of samples written
     */
    public int push(float[] magnitude, float[] pcmOut, int offset) {
        MagnitudeChecks.frame(magnitude, bins, frames);
        requireRoom(pcmOut, offset, hop, "push");
        return pushChecked(magnitude, pcmOut, offset);
    }

    /**
     * Like {@link #push(float[], float[])} for a frame of natural-log magnitudes ln|X| (as many models
     * output); −∞ is silence.
     *
     * @param logMagnitude {@link #bins()} values ln|X| of the next frame
     * @param pcmOut       receives the samples
     * @return {@link #hop()}, the number of samples written
     * @throws IllegalArgumentException for a NaN value or one above ln {@link #MAX_MAGNITUDE} = 34.5 (naming
     *                                  frame index and bin), a wrong length or a short {@code pcmOut}; the
     *                                  stream is then unchanged
     */
    public int pushLog(float[] logMagnitude, float[] pcmOut) {
        return pushLog(logMagnitude, pcmOut, 0);
    }

    /**
     * {@link #pushLog(float[], float[])} writing to {@code pcmOut[offset .. offset + hop)}.
     *
     * @param logMagnitude {@link #bins()} values ln|X| of the next frame
     * @param pcmOut       receives the samples
     * @param offset       where in {@code pcmOut} the first sample goes
     * @return {@link #hop()}, the number of samples written
     */
    public int pushLog(float[] logMagnitude, float[] pcmOut, int offset) {
        if (logMagnitude == null) {
            throw new IllegalArgumentException("log-magnitude frame " + frames + " is null");
        }
        if (logMagnitude.length != bins) {
            throw new IllegalArgumentException(
                    "log-magnitude frame " + frames + " has " + logMagnitude.length + " bins, expected " + bins);
        }
        requireRoom(pcmOut, offset, hop, "pushLog");
        for (int k = 0; k < bins; k++) {
            float v = logMagnitude[k];
            if (Float.isNaN(v) || v == Float.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("log-magnitude frame " + frames + " bin " + k
                        + " must be a number below +Infinity (-Infinity is silence), got " + v);
            }
        }
        for (int k = 0; k < bins; k++) {
            linear[k] = (float) Math.exp(logMagnitude[k]);
        }
        int k = FiniteNonNegative.firstOutside(linear, bins, MAX_MAGNITUDE);
        if (k >= 0) {
            throw new IllegalArgumentException("log-magnitude frame " + frames + " bin " + k + " is "
                    + logMagnitude[k] + ", above ln(" + MAX_MAGNITUDE + ") = 34.5, the bound on magnitudes"
                    + " (are the values natural-log magnitudes?)");
        }
        return pushChecked(linear, pcmOut, offset);
    }

    private int pushChecked(float[] magnitude, float[] pcmOut, int offset) {
        frames++;
        if (inverter.push(magnitude, re, im)) {
            istft.push(re, im, pcmOut, offset);
        } else {
            Arrays.fill(pcmOut, offset, offset + hop, 0f);
        }
        return hop;
    }

    /**
     * Ends the stream: writes the last {@link #latencySamples()} samples to {@code pcmOut[0 ..)} (the
     * method's look-ahead drained with silent frames, then the overlap-add tail) and resets, so the
     * next push starts a new stream.
     *
     * @param pcmOut receives the samples
     * @return {@link #latencySamples()}, the number of samples written
     * @throws IllegalArgumentException if {@code pcmOut} is shorter than {@link #latencySamples()}
     */
    public int flush(float[] pcmOut) {
        return flush(pcmOut, 0);
    }

    /**
     * {@link #flush(float[])} writing from {@code pcmOut[offset]}.
     *
     * @param pcmOut receives the samples
     * @param offset where in {@code pcmOut} the first sample goes
     * @return {@link #latencySamples()}, the number of samples written
     */
    public int flush(float[] pcmOut, int offset) {
        int n = latencySamples();
        requireRoom(pcmOut, offset, n, "flush");
        int pos = offset;
        for (int i = 0; i < inverter.lookahead(); i++) {
            if (inverter.push(silence, re, im)) {
                istft.push(re, im, pcmOut, pos);
            } else {
                Arrays.fill(pcmOut, pos, pos + hop, 0f);
            }
            pos += hop;
        }
        istft.flush(pcmOut, pos);
        reset();
        return n;
    }

    /** Drops the stream: the next push starts a new one, as on a freshly built inverter. */
    public void reset() {
        inverter.reset();
        istft.reset();
        frames = 0;
    }

    private static void requireRoom(float[] out, int offset, int n, String what) {
        if (out == null) {
            throw new IllegalArgumentException(what + ": output buffer is null");
        }
        if (offset < 0 || offset > out.length - n) {
            throw new IllegalArgumentException(what + " writes " + n + " samples from offset " + offset
                    + ", the output buffer holds " + out.length);
        }
    }

    /**
     * Output delay in samples, also the number of samples {@link #flush} writes.
     *
     * @return (N − hop) + lookahead · hop
     */
    public int latencySamples() {
        return config.analysisSynthesisDelay() + inverter.lookahead() * hop;
    }

    /** @return frames of look-ahead the method needs beyond the current one */
    public int lookahead() {
        return inverter.lookahead();
    }

    /** @return samples written per push */
    public int hop() {
        return hop;
    }

    /** @return values per magnitude frame, N/2 + 1 */
    public int bins() {
        return bins;
    }

    /** @return the sample rate in Hz */
    public int sampleRate() {
        return config.sampleRate();
    }

    /** @return the method */
    public Method method() {
        return method;
    }

    /** @return the STFT settings, sample rate included */
    public StftConfig stft() {
        return config;
    }

    /** @return the network model, for methods that run one */
    public Optional<PhaseModel> model() {
        return Optional.ofNullable(model);
    }

    /** @return frames pushed since the stream started */
    public long frames() {
        return frames;
    }

    // ---------------------------------------------------------------- snapshots

    private int headerBytes() {
        return 4 + 2 + 1 + nameBytes.length + 4 * 4 + 4 + 8 + 4;
    }

    private int stateBytes() {
        return inverter.stateBytes() + istft.stateBytes();
    }

    /** @return bytes of a snapshot of this inverter, the same at every point of every stream */
    public int snapshotSize() {
        return headerBytes() + stateBytes() + 4;
    }

    /**
     * The stream state (format in the class documentation).
     *
     * @return a new array of {@link #snapshotSize()} bytes
     */
    public byte[] snapshot() {
        byte[] b = new byte[snapshotSize()];
        snapshot(ByteBuffer.wrap(b));
        return b;
    }

    /**
     * Writes the stream state at the buffer's position, advancing it by {@link #snapshotSize()} bytes;
     * the buffer's byte order is left as it was.
     *
     * @param out receives the snapshot
     * @throws IllegalArgumentException if fewer than {@link #snapshotSize()} bytes remain
     */
    public void snapshot(ByteBuffer out) {
        int size = snapshotSize();
        if (out.remaining() < size) {
            throw new IllegalArgumentException("a snapshot of this inverter takes " + size + " bytes, the buffer has "
                    + out.remaining() + " left");
        }
        ByteOrder order = out.order();
        out.order(ByteOrder.BIG_ENDIAN);
        try {
            int start = out.position();
            out.putInt(MAGIC);
            out.putShort((short) SNAPSHOT_VERSION);
            out.put((byte) nameBytes.length);
            out.put(nameBytes);
            out.putInt(config.fftSize());
            out.putInt(config.windowLength());
            out.putInt(config.hop());
            out.putInt(config.sampleRate());
            out.putInt(modelChecksum());
            out.putLong(frames);
            out.putInt(stateBytes());
            inverter.saveState(out);
            istft.saveState(out);
            out.putInt(crc(out, start, out.position()));
        } finally {
            out.order(order);
        }
    }

    /**
     * Continues the stream a {@link #snapshot()} captured; this inverter must have been built with the
     * same method, STFT settings and model.
     *
     * @param snapshot what {@link #snapshot()} returned
     * @throws IllegalArgumentException if the bytes are not a snapshot, are of another format version,
     *                                  are truncated or corrupt (CRC-32), or were taken with another
     *                                  method, STFT settings or model (this inverter is then unchanged);
     *                                  or if they pass those checks but hold a state no stream reaches,
     *                                  such as a negative frame counter (this inverter is then reset)
     */
    public void restore(byte[] snapshot) {
        if (snapshot == null) {
            throw new IllegalArgumentException("snapshot is null");
        }
        restore(ByteBuffer.wrap(snapshot));
    }

    /**
     * {@link #restore(byte[])} from the buffer's position, which advances past the snapshot on success.
     *
     * @param in holds the snapshot at its position; its byte order is left as it was
     */
    public void restore(ByteBuffer in) {
        ByteOrder order = in.order();
        in.order(ByteOrder.BIG_ENDIAN);
        try {
            restoreBigEndian(in);
        } finally {
            in.order(order);
        }
    }

    private void restoreBigEndian(ByteBuffer in) {
        int start = in.position();
        int available = in.remaining();
        if (available < 7) {
            throw new IllegalArgumentException("snapshot is truncated: " + available + " bytes, a " + method
                    + " snapshot here is " + snapshotSize());
        }
        ByteBuffer h = in.duplicate().order(ByteOrder.BIG_ENDIAN);
        int magic = h.getInt();
        if (magic != MAGIC) {
            throw new IllegalArgumentException(String.format(
                    "not a phasegrad stream snapshot: starts with 0x%08x," + " expected 0x%08x (\"PGIS\")",
                    magic, MAGIC));
        }
        int version = h.getShort() & 0xFFFF;
        if (version != SNAPSHOT_VERSION) {
            throw new IllegalArgumentException("snapshot format version " + version + " cannot be read by this "
                    + "version of phasegrad, which reads version " + SNAPSHOT_VERSION + " only");
        }
        int nameLength = h.get() & 0xFF;
        int fixed = 7 + nameLength + 4 * 4 + 4 + 8 + 4;
        if (available < fixed) {
            throw new IllegalArgumentException(
                    "snapshot is truncated: " + available + " bytes end inside its header of " + fixed);
        }
        byte[] name = new byte[nameLength];
        h.get(name);
        int fft = h.getInt();
        int window = h.getInt();
        int hopIn = h.getInt();
        int rate = h.getInt();
        int modelCrc = h.getInt();
        long framesIn = h.getLong();
        int length = h.getInt();
        long total = (long) fixed + Math.max(0, length) + 4;
        if (length < 0 || available < total) {
            throw new IllegalArgumentException("snapshot is truncated or corrupt: its header announces " + total
                    + " bytes, " + available + " are there");
        }
        int end = start + fixed + length;
        int stored = h.position(end).getInt();
        int actual = crc(in, start, end);
        if (stored != actual) {
            throw new IllegalArgumentException(
                    String.format("snapshot is corrupt: CRC-32 0x%08x, computed 0x%08x", stored, actual));
        }
        String snapshotMethod = new String(name, StandardCharsets.US_ASCII);
        if (!snapshotMethod.equals(method.catalogueName())) {
            throw new IllegalArgumentException(
                    "snapshot is of method '" + snapshotMethod + "', this inverter runs '" + method + "'");
        }
        if (fft != config.fftSize()
                || window != config.windowLength()
                || hopIn != config.hop()
                || rate != config.sampleRate()) {
            throw new IllegalArgumentException("snapshot was taken at STFT FFT " + fft + ", window " + window + ", hop "
                    + hopIn + ", " + rate + " Hz; this inverter runs " + config);
        }
        if (modelCrc != modelChecksum()) {
            throw new IllegalArgumentException(String.format(
                    "snapshot was taken with the model of checksum 0x%08x, " + "this inverter runs %s",
                    modelCrc, model == null ? "none" : String.format("0x%08x", modelChecksum())));
        }
        if (length != stateBytes()) {
            throw new IllegalArgumentException("snapshot holds " + length + " bytes of state, this inverter's state is "
                    + stateBytes() + " bytes");
        }
        if (framesIn < 0) {
            throw new IllegalArgumentException("snapshot frame counter " + framesIn + " is negative");
        }
        ByteBuffer body = in.duplicate().order(ByteOrder.BIG_ENDIAN);
        body.position(start + fixed);
        try {
            inverter.restoreState(body);
            istft.restoreState(body);
        } catch (IllegalArgumentException e) {
            reset();
            throw new IllegalArgumentException("snapshot holds an impossible state: " + e.getMessage(), e);
        }
        frames = framesIn;
        in.position(end + 4);
    }

    private int modelChecksum() {
        return model == null ? 0 : model.checksum();
    }

    private static int crc(ByteBuffer buffer, int from, int to) {
        ByteBuffer view = buffer.duplicate();
        view.limit(to).position(from);
        CRC32 crc = new CRC32();
        crc.update(view);
        return (int) crc.getValue();
    }

    /** Settings for a {@link PhaseInverter}; every one has a default. */
    public static final class Builder {
        private Method method;
        private StftConfig stft = StftConfig.DEFAULT;
        private int sampleRate;
        private PhaseModel model;

        private Builder() {}

        /**
         * Sets the method.
         *
         * @param m default {@link Method#PHASEGRAD}, or with {@link #model} the network method of its kind
         * @return this builder
         */
        public Builder method(Method m) {
            if (m == null) {
                throw new IllegalArgumentException("method must not be null");
            }
            this.method = m;
            return this;
        }

        /**
         * Sets the method by name.
         *
         * @param name catalogue name or older alias, see {@link Method#fromName}
         * @return this builder
         */
        public Builder method(String name) {
            return method(Method.fromName(name));
        }

        /**
         * STFT settings of the magnitudes, e.g. {@code StftConfig.hann(1024, 256)}; default
         * {@link StftConfig#DEFAULT}. The sample rate is the configuration's unless {@link #sampleRate} is set.
         *
         * @param c the settings
         * @return this builder
         */
        public Builder stft(StftConfig c) {
            if (c == null) {
                throw new IllegalArgumentException("STFT settings must not be null");
            }
            this.stft = c;
            return this;
        }

        /**
         * Sets the sample rate of the audio the magnitudes come from, overriding the STFT settings' rate.
         *
         * @param hz samples per second
         * @return this builder
         */
        public Builder sampleRate(int hz) {
            if (hz < 1) {
                throw new IllegalArgumentException("sample rate must be positive, got " + hz);
            }
            this.sampleRate = hz;
            return this;
        }

        /**
         * A model of one's own (e.g. from {@code phasegrad train}, read once with {@link PhaseModel#read}
         * and shared) for a network method, instead of the built-in one. It must be trained for these
         * STFT settings. Without {@link #method}, the method is the network method of the model's kind,
         * {@link Method#PHASEGRAD} for a kind the catalogue does not know.
         *
         * @param m the model
         * @return this builder
         */
        public Builder model(PhaseModel m) {
            if (m == null) {
                throw new IllegalArgumentException("model must not be null");
            }
            this.model = m;
            return this;
        }

        /**
         * Builds the inverter; network models are loaded once per process and shared.
         *
         * @return a new inverter, ready for the first frame of a stream
         * @throws IllegalArgumentException if a network method has no built-in model for the settings
         *                                  (naming the settings models ship for), the model was trained for
         *                                  other settings, or a model is given for a method without one
         */
        public PhaseInverter build() {
            StftConfig config = sampleRate > 0 ? stft.withSampleRate(sampleRate) : stft;
            Method m = method != null ? method : model != null ? methodOfKind(model.kind()) : Method.PHASEGRAD;
            String name = m.catalogueName();
            if (model != null) {
                if (!m.usesModel()) {
                    throw new IllegalArgumentException("method '" + m + "' uses no model; a model runs with one of "
                            + "the network methods " + Method.PHASEGRAD + ", " + Method.PHASEGRAD_STRIDED + ", "
                            + Method.MASUYAMA2023);
                }
                model.requireConfig(config);
                return new PhaseInverter(m, config, model, Methods.network(name, model, config));
            }
            if (m.usesModel()) {
                PhaseModel builtin = Methods.builtinModelFor(name, config);
                return new PhaseInverter(m, config, builtin, Methods.network(name, builtin, config));
            }
            return new PhaseInverter(m, config, null, Methods.streaming(name, config, null));
        }

        private static Method methodOfKind(String kind) {
            for (Method m : Method.values()) {
                if (kind.equals(Methods.get(m.catalogueName()).modelKind())) {
                    return m;
                }
            }
            return Method.PHASEGRAD;
        }
    }
}
