package dev.phasegrad.nn;

import dev.phasegrad.audio.AtomicFiles;
import dev.phasegrad.features.FeatureSpec;
import dev.phasegrad.nn.runtime.ModelAccess;
import dev.phasegrad.stft.StftConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A trained phase-derivative model: architecture, weights, and everything needed to use it correctly
 * (STFT settings, input normalisation, streaming layout, least-squares integration defaults).
 *
 * <p>Streaming layout: every run of the network(s) reads {@link #inputFrames()} magnitude frames
 * (newest first) and serves {@link #stride()} frames, those at offsets −(stride−1) … 0 from the newest;
 * {@link #lookahead()} = stride − 1. The heads of all networks together must cover DT and DF for each
 * of those offsets exactly once. Weights are in one array in the order network, trunk layers, heads,
 * each layer weights then biases (see {@link LayerSpec}).
 *
 * <p>A model whose one head has target {@link HeadSpec.Target#LOG_MAGNITUDE} is a mel refiner
 * (kind {@code mel-refiner}, see {@code dev.phasegrad.features.MelRefiner}): its input frames are the
 * NNLS magnitudes of log-mel features, and it records the {@link FeatureSpec} and the NNLS iteration
 * count it was trained with ({@link #melFeatures()}, {@link #nnlsIterations()}); stride 1, one network,
 * one head, STFT settings those of the features. The LS defaults are unused by it.
 *
 * <p>Models are read and written in phasegrad's {@code .pgnn} format ({@link #read(Path)},
 * {@link #write(Path)}; the layout is at {@link #write(OutputStream)}).
 *
 * <p>Immutable and thread safe; share one instance between any number of streams.
 */
public final class PhaseModel {
    /** Newest version this build reads and writes (1: phase models; 2: adds the mel block). */
    public static final int VERSION = 2;

    static {
        ModelAccess.install(m -> m.params);
    }

    /** Shipped models by resource name ({@link #shippedResource}); empty where none ships. */
    private static final Map<String, Optional<PhaseModel>> SHIPPED = new ConcurrentHashMap<>();
    /** Where built-in models live on the class path: {@code <kind>-<fft>-<hop>.pgnn}. */
    public static final String RESOURCE_DIR = "/dev/phasegrad/models/";

    private final String kind;
    private final StftConfig config;
    private final InputFeatures features;
    private final int inputFrames;
    private final int stride;
    private final float lsP;
    private final float lsGamma0;
    private final String info;
    private final List<NetworkSpec> networks;
    private final FeatureSpec melFeatures;
    private final int nnlsIterations;
    private final float[] params;
    private final int[][] trunkOffsets;
    private final int[][] headOffsets;
    /** {@link #checksum()} once computed, −1 before: immutable content, so a benign race at worst computes it twice. */
    private volatile long checksum = -1;

    /**
     * A model from its parts, checked for consistency.
     *
     * @param kind        the model kind, e.g. {@code proposed}
     * @param config      the STFT settings it is trained for
     * @param features    its input normalisation
     * @param inputFrames magnitude frames each run reads
     * @param stride      frames each run serves
     * @param lsP         default weight exponent p of the least-squares integration
     * @param lsGamma0    default γ₀ of the least-squares integration
     * @param info        free text, e.g. how it was trained
     * @param networks    the networks, whose heads together cover DT and DF of each served frame once
     * @param params      all weights, in the order of the class description (copied)
     * @throws IllegalArgumentException if the parts do not fit together or a weight is not finite
     */
    public PhaseModel(
            String kind,
            StftConfig config,
            InputFeatures features,
            int inputFrames,
            int stride,
            float lsP,
            float lsGamma0,
            String info,
            List<NetworkSpec> networks,
            float[] params) {
        this(kind, config, features, inputFrames, stride, lsP, lsGamma0, info, networks, null, 0, params);
    }

    /**
     * A model from its parts, mel refiners included, checked for consistency.
     *
     * @param kind           the model kind, e.g. {@code proposed} or {@code mel-refiner}
     * @param config         the STFT settings it is trained for
     * @param features       its input normalisation
     * @param inputFrames    magnitude frames each run reads
     * @param stride         frames each run serves
     * @param lsP            default weight exponent p of the least-squares integration
     * @param lsGamma0       default γ₀ of the least-squares integration
     * @param info           free text, e.g. how it was trained
     * @param networks       the networks
     * @param melFeatures    the log-mel features a mel refiner's input is computed from; null for a phase model
     * @param nnlsIterations NNLS iterations of that input ({@link dev.phasegrad.features.MelInversion}); 0 for a phase model
     * @param params         all weights, in the order of the class description (copied)
     * @throws IllegalArgumentException if the parts do not fit together or a weight is not finite
     */
    public PhaseModel(
            String kind,
            StftConfig config,
            InputFeatures features,
            int inputFrames,
            int stride,
            float lsP,
            float lsGamma0,
            String info,
            List<NetworkSpec> networks,
            FeatureSpec melFeatures,
            int nnlsIterations,
            float[] params) {
        if (stride < 1 || inputFrames < stride) {
            throw new IllegalArgumentException("stride " + stride + " must be >= 1 and <= input frames " + inputFrames);
        }
        if (!(lsP > 0) || !(lsGamma0 > 0) || !Float.isFinite(lsP) || !Float.isFinite(lsGamma0)) {
            throw new IllegalArgumentException(
                    "LS defaults must be positive and finite, got p=" + lsP + " γ0=" + lsGamma0);
        }
        int[] dt = new int[stride];
        int[] df = new int[stride];
        int magnitudeHeads = 0;
        this.trunkOffsets = new int[networks.size()][];
        this.headOffsets = new int[networks.size()][];
        int off = 0;
        for (int n = 0; n < networks.size(); n++) {
            NetworkSpec net = networks.get(n);
            if (net.inChannels() != inputFrames) {
                throw new IllegalArgumentException("network " + n + " takes " + net.inChannels()
                        + " input channels, the model provides " + inputFrames + " frames");
            }
            trunkOffsets[n] = new int[net.trunk().size()];
            for (int i = 0; i < net.trunk().size(); i++) {
                trunkOffsets[n][i] = off;
                off += net.trunk().get(i).paramCount();
            }
            headOffsets[n] = new int[net.heads().size()];
            for (int h = 0; h < net.heads().size(); h++) {
                HeadSpec head = net.heads().get(h);
                int slot = head.frameOffset() + stride - 1;
                if (slot < 0) {
                    throw new IllegalArgumentException("head " + head + " is outside the stride of " + stride);
                }
                switch (head.target()) {
                    case DT -> dt[slot]++;
                    case DF -> df[slot]++;
                    default -> magnitudeHeads++;
                }
                headOffsets[n][h] = off;
                off += head.layer().paramCount();
            }
        }
        if (magnitudeHeads > 0 || melFeatures != null) {
            requireRefinerLayout(networks, stride, magnitudeHeads, melFeatures, nnlsIterations, config);
        } else {
            for (int s = 0; s < stride; s++) {
                if (dt[s] != 1 || df[s] != 1) {
                    throw new IllegalArgumentException("frame offset " + (s - stride + 1) + " has " + dt[s] + " DT and "
                            + df[s] + " DF heads; exactly one of each is needed");
                }
            }
        }
        if (params.length != off) {
            throw new IllegalArgumentException("architecture needs " + off + " parameters, got " + params.length);
        }
        for (int i = 0; i < params.length; i++) {
            if (!Float.isFinite(params[i])) {
                throw new IllegalArgumentException("parameter " + i + " is " + params[i]);
            }
        }
        this.kind = kind;
        this.config = config;
        this.features = features;
        this.inputFrames = inputFrames;
        this.stride = stride;
        this.lsP = lsP;
        this.lsGamma0 = lsGamma0;
        this.info = info;
        this.networks = List.copyOf(networks);
        this.melFeatures = melFeatures;
        this.nnlsIterations = nnlsIterations;
        this.params = params.clone();
    }

    private static void requireRefinerLayout(
            List<NetworkSpec> networks,
            int stride,
            int magnitudeHeads,
            FeatureSpec mel,
            int iterations,
            StftConfig config) {
        int heads = 0;
        for (NetworkSpec n : networks) {
            heads += n.heads().size();
        }
        if (networks.size() != 1 || heads != 1 || magnitudeHeads != 1 || stride != 1) {
            throw new IllegalArgumentException(
                    "a mel refiner is one network with one LOG_MAGNITUDE head at stride 1; got "
                            + networks.size() + " networks, " + heads + " heads (" + magnitudeHeads
                            + " LOG_MAGNITUDE), stride "
                            + stride);
        }
        if (mel == null) {
            throw new IllegalArgumentException("a model with a LOG_MAGNITUDE head needs the mel features it refines");
        }
        if (!mel.stft().equals(config)) {
            throw new IllegalArgumentException(
                    "mel features " + mel.describe() + " need STFT " + mel.stft() + ", the model states " + config);
        }
        if (iterations < 0) {
            throw new IllegalArgumentException("NNLS iterations must be >= 0, got " + iterations);
        }
    }

    /**
     * Same model with other weights (same architecture).
     *
     * @param p the weights, as many as {@link #paramCount()}
     * @return the model
     */
    public PhaseModel withParams(float[] p) {
        return new PhaseModel(
                kind,
                config,
                features,
                inputFrames,
                stride,
                lsP,
                lsGamma0,
                info,
                networks,
                melFeatures,
                nnlsIterations,
                p);
    }

    /**
     * Same model with other least-squares defaults.
     *
     * @param p      weight exponent p
     * @param gamma0 γ₀
     * @return the model
     */
    public PhaseModel withLsDefaults(float p, float gamma0) {
        return new PhaseModel(
                kind,
                config,
                features,
                inputFrames,
                stride,
                p,
                gamma0,
                info,
                networks,
                melFeatures,
                nnlsIterations,
                params);
    }

    /**
     * Same model with another free-text description.
     *
     * @param text the description
     * @return the model
     */
    public PhaseModel withInfo(String text) {
        return new PhaseModel(
                kind,
                config,
                features,
                inputFrames,
                stride,
                lsP,
                lsGamma0,
                text,
                networks,
                melFeatures,
                nnlsIterations,
                params);
    }

    /**
     * Same model with another input normalisation.
     *
     * @param f the normalisation
     * @return the model
     */
    public PhaseModel withFeatures(InputFeatures f) {
        return new PhaseModel(
                kind,
                config,
                f,
                inputFrames,
                stride,
                lsP,
                lsGamma0,
                info,
                networks,
                melFeatures,
                nnlsIterations,
                params);
    }

    /** {@return the model kind, e.g. {@code proposed}} */
    public String kind() {
        return kind;
    }

    /** {@return the STFT settings it is trained for} */
    public StftConfig config() {
        return config;
    }

    /** {@return the input normalisation} */
    public InputFeatures features() {
        return features;
    }

    /** {@return the magnitude frames each run reads} */
    public int inputFrames() {
        return inputFrames;
    }

    /** {@return the frames each run serves} */
    public int stride() {
        return stride;
    }

    /** {@return the frames of look-ahead, stride − 1} */
    public int lookahead() {
        return stride - 1;
    }

    /** {@return the default weight exponent p of the least-squares integration tuned for this model} */
    public float lsP() {
        return lsP;
    }

    /** {@return the default γ₀ of the least-squares integration tuned for this model} */
    public float lsGamma0() {
        return lsGamma0;
    }

    /** {@return the free-text description} */
    public String info() {
        return info;
    }

    /** {@return the log-mel features a mel refiner's input comes from; null for a phase model} */
    public FeatureSpec melFeatures() {
        return melFeatures;
    }

    /** {@return the NNLS iterations of a mel refiner's input magnitude (0 for a phase model)} */
    public int nnlsIterations() {
        return nnlsIterations;
    }

    /** {@return true for a mel refiner (a LOG_MAGNITUDE head), false for a phase-derivative model} */
    public boolean refinesMagnitude() {
        return melFeatures != null;
    }

    /** Throws a clear IllegalArgumentException for a mel refiner, where a phase-derivative model is needed. */
    public void requirePhaseModel() {
        if (refinesMagnitude()) {
            throw new IllegalArgumentException("model '" + kind + "' refines mel magnitudes (features "
                    + melFeatures.name() + "); it predicts no phase derivatives");
        }
    }

    /** {@return the networks} */
    public List<NetworkSpec> networks() {
        return networks;
    }

    /** {@return a copy of all weights} */
    public float[] params() {
        return params.clone();
    }

    /**
     * Where a trunk layer's parameters start in {@link #params()}.
     *
     * @param network the network's index
     * @param layer   the layer's index in its trunk
     * @return the offset
     */
    public int trunkOffset(int network, int layer) {
        return trunkOffsets[network][layer];
    }

    /**
     * Where a head's parameters start in {@link #params()}.
     *
     * @param network the network's index
     * @param head    the head's index
     * @return the offset
     */
    public int headOffset(int network, int head) {
        return headOffsets[network][head];
    }

    /** {@return the number of weights} */
    public int paramCount() {
        return params.length;
    }

    /** {@return the multiply-accumulates of one run of all networks (serving {@link #stride()} frames)} */
    public long macsPerRun() {
        long m = 0;
        for (NetworkSpec n : networks) {
            m += n.macs(config.bins());
        }
        return m;
    }

    /** {@return the multiply-accumulates per STFT frame: {@link #macsPerRun()} / stride} */
    public double macsPerFrame() {
        return (double) macsPerRun() / stride;
    }

    /**
     * Throws a clear IllegalArgumentException when this model cannot serve the given STFT settings.
     *
     * @param wanted the settings it is to run at
     * @throws IllegalArgumentException if they differ from {@link #config()}
     */
    public void requireConfig(StftConfig wanted) {
        if (!config.equals(wanted)) {
            throw new IllegalArgumentException("model '" + kind + "' was trained for STFT " + config
                    + " and cannot be used at " + wanted + "; train or load a model for those settings");
        }
    }

    /** {@return several lines for people: kind, settings, size, cost, LS defaults, networks} */
    public String describe() {
        StringBuilder b = new StringBuilder();
        b.append(kind)
                .append(" @ ")
                .append(config)
                .append(": ")
                .append(paramCount())
                .append(" parameters, ")
                .append(String.format("%.2f", macsPerFrame() / 1e6))
                .append(" M MAC/frame, input ")
                .append(inputFrames)
                .append(" frames, stride ")
                .append(stride);
        if (melFeatures != null) {
            b.append(", NNLS ").append(nnlsIterations).append(" iterations of ").append(melFeatures.describe());
        } else {
            b.append(", LS p=").append(lsP).append(" γ0=").append(lsGamma0);
        }
        for (NetworkSpec n : networks) {
            b.append("\n  ").append(n);
        }
        return b.toString();
    }

    // ---------------------------------------------------------------- file form (PgnnFormat)

    /**
     * Writes the model as a {@code .pgnn} file.
     *
     * <p>The format (big-endian, {@code DataOutputStream} primitives): magic "PGNN", version int,
     * kind (UTF), STFT fft size / window length / hop / sample rate (ints) and window name (UTF),
     * normalisation mode (byte), relative floor, absolute floor, scale (floats), input frames, stride,
     * look-ahead (ints), LS p and γ₀ (floats), free-text info (UTF), [version 2 only: the mel features],
     * networks (count, then per network input channels, trunk layers, heads), parameter count and
     * floats, CRC-32 of all preceding bytes. Version 2 is written only for mel refiners, so phase models
     * stay version 1, byte for byte, and older builds keep reading them; both versions are read. The mel
     * block: name (UTF), sample rate, fft size, hop, window length, padding (ints), reflect padding
     * (boolean), magnitude epsilon (double), power (int), mel scale (UTF: slaney|htk), Slaney norm
     * (boolean), fMin, fMax (doubles), bands (int), log (UTF), clamp (double), NNLS iterations (int).
     *
     * @param out the stream, not closed
     * @throws IOException if writing fails
     */
    public void write(OutputStream out) throws IOException {
        PgnnFormat.write(this, out);
    }

    /**
     * Writes the model to a file, replacing it atomically (a reader sees the old file or the new one,
     * never a part).
     *
     * @param file the target
     * @throws IOException if writing fails
     */
    public void write(Path file) throws IOException {
        AtomicFiles.write(file, this::write);
    }

    /**
     * CRC-32 of this model's file form, the value its {@code .pgnn} file ends with: identifies weights,
     * architecture, STFT settings and LS defaults (e.g. in a stream snapshot). Computed once.
     *
     * @return the CRC-32
     */
    public int checksum() {
        long c = checksum;
        if (c < 0) {
            byte[] b = toBytes();
            c = ByteBuffer.wrap(b, b.length - Integer.BYTES, Integer.BYTES).getInt() & 0xFFFFFFFFL;
            checksum = c;
        }
        return (int) c;
    }

    /** {@return the model's file form} */
    public byte[] toBytes() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            write(b);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return b.toByteArray();
    }

    /**
     * Reads a model; {@code source} names it in error messages.
     *
     * @param in     the file contents, read to the model's end, not closed
     * @param source how to name it in error messages
     * @return the model
     * @throws IOException on a truncated, corrupt, foreign or newer-version file
     */
    public static PhaseModel read(InputStream in, String source) throws IOException {
        return PgnnFormat.read(in, source);
    }

    /**
     * Reads a model file.
     *
     * @param file the {@code .pgnn} file
     * @return the model
     * @throws IOException if the file cannot be read or is not a valid model
     */
    public static PhaseModel read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /**
     * Resource name of a built-in model: {@code <kind>-<fft>-<hop>.pgnn} at 16 kHz,
     * {@code <kind>-<fft>-<hop>-<rate>.pgnn} at other rates.
     *
     * @param kind   the model kind
     * @param config the STFT settings
     * @return the class-path resource name
     */
    public static String resourceName(String kind, StftConfig config) {
        String rate = config.sampleRate() == 16000 ? "" : "-" + config.sampleRate();
        return RESOURCE_DIR + kind + "-" + config.fftSize() + "-" + config.hop() + rate + ".pgnn";
    }

    /**
     * The model shipped for the mel path of a front end, if any: a phase model trained on the magnitude
     * that front end's default mel → magnitude step gives ({@code <kind>-<fft>-<hop>-<rate>-<preset>.pgnn}),
     * which a mel vocoder prefers to the model of true magnitudes at the same STFT.
     *
     * @param kind the model kind
     * @param features the front end
     * @return the model, or empty when none ships for it
     */
    public static Optional<PhaseModel> builtinForFeatures(String kind, FeatureSpec features) {
        String plain = resourceName(kind, features.stft());
        String name = plain.substring(0, plain.length() - ".pgnn".length()) + "-" + features.name() + ".pgnn";
        Optional<PhaseModel> m = shippedResource(name);
        m.ifPresent(model -> model.requireConfig(features.stft()));
        return m;
    }

    /**
     * Loads a model shipped with phasegrad ("proposed", "proposed-strided", "prior-sota").
     *
     * @param kind   the model kind
     * @param config the STFT settings
     * @return the model, read once per process and shared
     * @throws IllegalArgumentException when none is shipped for that kind and STFT configuration
     */
    public static PhaseModel builtin(String kind, StftConfig config) {
        String name = resourceName(kind, config);
        PhaseModel m = shippedResource(name)
                .orElseThrow(() -> new IllegalArgumentException("no built-in '" + kind + "' model for STFT " + config
                        + " (looked for " + name + "); pass a trained model file instead"));
        m.requireConfig(config);
        return m;
    }

    /**
     * The model shipped for {@code kind} at exactly these STFT settings, sample rate and window
     * included, read once per process and shared.
     *
     * @param kind   the model kind
     * @param config the STFT settings
     * @return the model, or empty when none ships for them
     */
    public static Optional<PhaseModel> shipped(String kind, StftConfig config) {
        return shippedResource(resourceName(kind, config))
                .filter(m -> m.config().equals(config));
    }

    /** The model at a class-path resource, read on first use; models are immutable, so one serves every stream. */
    private static Optional<PhaseModel> shippedResource(String name) {
        return SHIPPED.computeIfAbsent(name, n -> {
            try (InputStream in = PhaseModel.class.getResourceAsStream(n)) {
                return in == null ? Optional.empty() : Optional.of(read(in, n));
            } catch (IOException e) {
                throw new IllegalStateException("built-in model " + n + " is unreadable: " + e.getMessage(), e);
            }
        });
    }
}
