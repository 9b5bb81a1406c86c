package dev.phasegrad.invert;

import dev.phasegrad.features.FeatureSpec;
import dev.phasegrad.integrate.LsParams;
import dev.phasegrad.nn.PhaseModel;
import dev.phasegrad.nn.runtime.NetworkDerivatives;
import dev.phasegrad.stft.Spectrogram;
import dev.phasegrad.stft.StftConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The catalogue of inversion methods by name: every method the CLI, {@code eval} and {@code demo}
 * can run, streaming or offline. Names are the product names ({@code phasegrad}, {@code masuyama2023}
 * ...); the paper names used before ({@code proposed}, {@code prior-sota} ...) are accepted as aliases
 * by {@link #get}.
 *
 * <p>Entries marked {@code streaming} are causal ({@link StreamingInverter}, built by {@link #streaming});
 * those that also work from magnitudes alone are what {@code dev.phasegrad.PhaseInverter} runs. Entries
 * marked {@code needsTruth} (oracle upper bounds) can only run where the true spectrogram is known,
 * i.e. when inverting a WAV.
 */
public final class Methods {
    /** How to build one method for an STFT configuration; {@code truth} may be null unless needsTruth. */
    public interface Factory {
        Inverter create(StftConfig config, Spectrogram truth);
    }

    /** How to build one streaming method; {@code truth} may be null unless needsTruth. */
    public interface StreamingFactory extends Factory {
        @Override
        StreamingInverter create(StftConfig config, Spectrogram truth);
    }

    /**
     * A catalogue entry. {@code aliases}: older names that resolve to it. {@code modelKind}: the
     * {@link PhaseModel#kind()} of the built-in model a network method runs, null for the others.
     * {@code streaming} is null for offline methods.
     */
    public record Entry(
            String name,
            List<String> aliases,
            String description,
            boolean needsTruth,
            String modelKind,
            Factory factory,
            StreamingFactory streaming) {
        /** Causal, frame in, frame out. */
        public boolean isStreaming() {
            return streaming != null;
        }

        /** Whether it can run at {@code config}: a network method needs a model shipped for those settings. */
        public boolean availableAt(StftConfig config) {
            return modelKind == null || PhaseModel.shipped(modelKind, config).isPresent();
        }
    }

    private static final Map<String, Entry> METHODS = new LinkedHashMap<>();
    private static final Map<String, String> ALIASES = new LinkedHashMap<>();

    static {
        streaming(
                "oracle",
                List.of(),
                "true phase (upper bound; needs the original signal)",
                true,
                (c, truth) -> new OracleInverter(truth));
        streaming(
                "ls-oracle",
                List.of(),
                "LS integration of the true phase derivatives (upper bound of the method)",
                true,
                (c, truth) -> LsInverter.oracle(truth));
        streaming(
                "ls-heuristic",
                List.of(),
                "LS integration of PGHI-relation derivatives from log-magnitudes, no look-ahead (no model)",
                false,
                (c, truth) -> LsInverter.heuristic(c, 0));
        streaming(
                "ls-heuristic-la1",
                List.of(),
                "LS integration of PGHI-relation derivatives, one frame of look-ahead (no model)",
                false,
                (c, truth) -> LsInverter.heuristic(c, 1));
        network(
                "phasegrad",
                "proposed",
                "proposed",
                "tiny causal CNN (8.1k parameters; 5.5k at 512/128) + LS integration, no look-ahead");
        network(
                "phasegrad-strided",
                "proposed-strided",
                "proposed-strided",
                "tiny CNN run every second frame, one frame of look-ahead, + LS integration");
        network(
                "masuyama2023",
                "prior-sota",
                "prior-sota",
                "Masuyama et al. 2023-style gated CNNs (~2x206k parameters) + LS integration");
        offline(
                "pghi",
                "PGHI (Prusa et al. 2017): heap integration of the whole spectrogram (offline)",
                (c, truth) -> new Pghi(c));
        streaming(
                "rtpghi",
                List.of(),
                "RTPGHI (Prusa & Holighaus 2017), no look-ahead",
                false,
                (c, truth) -> new Rtpghi(c, 0));
        streaming(
                "rtpghi-la1", List.of(), "RTPGHI with one frame of look-ahead", false, (c, truth) -> new Rtpghi(c, 1));
        streaming(
                "rtisi-la",
                List.of(),
                "RTISI-LA (Zhu et al. 2007): 3 frames look-ahead, 5 iterations, asymmetric window",
                false,
                (c, truth) -> new RtisiLa(c, 3, 5));
        streaming(
                "spsi",
                List.of(),
                "single-pass spectrogram inversion (Beauregard et al. 2015), no look-ahead",
                false,
                (c, truth) -> new Spsi(c));
        offline("gla", "Griffin-Lim, 32 iterations, zero-phase start (offline)", (c, truth) -> GriffinLim.gla(c, 32));
        offline(
                "fgla",
                "Fast Griffin-Lim (Perraudin et al. 2013), momentum 0.99, 32 iterations (offline)",
                (c, truth) -> GriffinLim.fgla(c, 32));
        offline(
                "fgla-100",
                "Fast Griffin-Lim, momentum 0.99, 100 iterations (offline)",
                (c, truth) -> GriffinLim.fgla(c, 100));
    }

    private Methods() {}

    private static void put(Entry e) {
        METHODS.put(e.name(), e);
        for (String a : e.aliases()) {
            ALIASES.put(a, e.name());
        }
    }

    private static void streaming(
            String name, List<String> aliases, String description, boolean needsTruth, StreamingFactory f) {
        put(new Entry(name, aliases, description, needsTruth, null, f, f));
    }

    private static void offline(String name, String description, Factory f) {
        put(new Entry(name, List.of(), description, false, null, f, null));
    }

    private static void network(String name, String alias, String kind, String description) {
        StreamingFactory f = (c, truth) -> network(name, builtinModelFor(name, c), c);
        put(new Entry(name, List.of(alias), description, false, kind, f, f));
    }

    /**
     * The model shipped for a network method on a front end's mel path (trained on the magnitude its
     * default mel step gives), which a mel vocoder prefers to the model of true magnitudes.
     *
     * @param method a method name or alias
     * @param features the front end
     * @return the model, or empty for a method without a model or a front end without one
     */
    public static Optional<PhaseModel> melPathModel(String method, FeatureSpec features) {
        String kind = get(method).modelKind();
        return kind == null ? Optional.empty() : PhaseModel.builtinForFeatures(kind, features);
    }

    /**
     * The built-in model a network method (name or alias) runs at {@code config}.
     *
     * @throws IllegalArgumentException for a method without a model, or naming the method, the settings
     *                                  and the built-in models that exist when none ships for them
     */
    public static PhaseModel builtinModelFor(String method, StftConfig config) {
        Entry e = get(method);
        String kind = e.modelKind();
        if (kind == null) {
            throw new IllegalArgumentException("method '" + e.name() + "' uses no model");
        }
        return PhaseModel.shipped(kind, config)
                .orElseThrow(() -> new IllegalArgumentException("method '" + e.name()
                        + "' has no built-in model for STFT " + config + "; built-in '" + kind + "' models: "
                        + shippedModels(kind) + "; pass a trained model file for other settings"));
    }

    /**
     * The STFT settings built-in models of {@code kind} ship for, as text (e.g. "Hann 1024 / hop 256 @ 16000 Hz"),
     * read from the model directory on the class path; for error messages.
     */
    private static String shippedModels(String kind) {
        TreeSet<String> found = new TreeSet<>();
        for (String resource : modelResources()) {
            try (InputStream in = Methods.class.getResourceAsStream(resource)) {
                PhaseModel m = PhaseModel.read(in, resource);
                if (m.kind().equals(kind)) {
                    found.add(m.config().toString());
                }
            } catch (IOException | RuntimeException e) {
                found.add(resource + " (unreadable: " + e.getMessage() + ")");
            }
        }
        return found.isEmpty() ? "none" : String.join(", ", found);
    }

    /** Resource names of every .pgnn file in {@link PhaseModel#RESOURCE_DIR}, from a directory or a jar. */
    private static List<String> modelResources() {
        List<String> out = new ArrayList<>();
        URL dir = Methods.class.getResource(PhaseModel.RESOURCE_DIR);
        if (dir == null) {
            return out;
        }
        try {
            if (dir.getProtocol().equals("jar")) {
                JarURLConnection conn = (JarURLConnection) dir.openConnection();
                conn.setUseCaches(false);
                try (JarFile jar = conn.getJarFile()) {
                    String prefix = PhaseModel.RESOURCE_DIR.substring(1);
                    Enumeration<JarEntry> entries = jar.entries();
                    while (entries.hasMoreElements()) {
                        String n = entries.nextElement().getName();
                        if (n.startsWith(prefix) && n.endsWith(".pgnn") && n.indexOf('/', prefix.length()) < 0) {
                            out.add("/" + n);
                        }
                    }
                }
            } else if (dir.getProtocol().equals("file")) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(Path.of(dir.toURI()), "*.pgnn")) {
                    for (Path p : files) {
                        out.add(PhaseModel.RESOURCE_DIR + p.getFileName());
                    }
                }
            }
        } catch (IOException | URISyntaxException e) {
            return out;
        }
        Collections.sort(out);
        return out;
    }

    /** A network method from any model (e.g. one trained with {@code phasegrad train}), named {@code name}. */
    public static LsInverter network(String name, PhaseModel model, StftConfig config) {
        return new LsInverter(name, new NetworkDerivatives(model, config), LsParams.of(model.lsP(), model.lsGamma0()));
    }

    /** Method names that can run at {@code config} (e.g. a network method needs a model shipped for it). */
    public static List<String> availableNames(StftConfig config) {
        List<String> out = new ArrayList<>();
        for (Entry m : METHODS.values()) {
            if (m.availableAt(config)) {
                out.add(m.name());
            }
        }
        return out;
    }

    /** Every method name, in table order. */
    public static List<String> names() {
        return List.copyOf(METHODS.keySet());
    }

    /** Old name → method name, e.g. {@code proposed → phasegrad}. */
    public static Map<String, String> aliases() {
        return Collections.unmodifiableMap(ALIASES);
    }

    /** Whether {@code name} is a method name or an alias of one. */
    public static boolean isKnown(String name) {
        return METHODS.containsKey(name) || ALIASES.containsKey(name);
    }

    /** Method names that work from magnitudes alone. */
    public static List<String> magnitudeOnlyNames() {
        List<String> out = new ArrayList<>();
        for (Entry m : METHODS.values()) {
            if (!m.needsTruth()) {
                out.add(m.name());
            }
        }
        return out;
    }

    /** The entry of a method name or alias. */
    public static Entry get(String name) {
        Entry m = METHODS.get(ALIASES.getOrDefault(name, name));
        if (m == null) {
            throw new IllegalArgumentException("unknown method '" + name + "'; known: " + String.join(", ", names())
                    + " (old names: " + String.join(", ", ALIASES.keySet()) + ")");
        }
        return m;
    }

    /** Builds a method by name or alias; {@code truth} is required for oracle methods and ignored otherwise. */
    public static Inverter create(String name, StftConfig config, Spectrogram truth) {
        Entry m = get(name);
        requireTruth(m, truth);
        return m.factory().create(config, truth);
    }

    /**
     * Builds a streaming method by name or alias; {@code truth} is required for oracle methods and ignored otherwise.
     *
     * @throws IllegalArgumentException for an offline method
     */
    public static StreamingInverter streaming(String name, StftConfig config, Spectrogram truth) {
        Entry m = get(name);
        if (!m.isStreaming()) {
            throw new IllegalArgumentException("method '" + m.name() + "' is offline (it needs the whole spectrogram),"
                    + " not streaming; streaming methods: " + String.join(", ", streamingNames()));
        }
        requireTruth(m, truth);
        return m.streaming().create(config, truth);
    }

    /** Names of the streaming methods, oracles included. */
    public static List<String> streamingNames() {
        List<String> out = new ArrayList<>();
        for (Entry m : METHODS.values()) {
            if (m.isStreaming()) {
                out.add(m.name());
            }
        }
        return out;
    }

    private static void requireTruth(Entry m, Spectrogram truth) {
        if (m.needsTruth() && truth == null) {
            throw new IllegalArgumentException("method '" + m.name() + "' needs the original signal's phase: "
                    + "give a WAV input, not a magnitude file");
        }
    }
}
