package dev.phasegrad.invert;

import dev.phasegrad.stft.Spectrogram;
import dev.phasegrad.stft.StftConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import dev.phasegrad.integrate.LsParams;
import dev.phasegrad.nn.NetworkDerivatives;
import dev.phasegrad.nn.PhaseModel;

/**
 * The catalogue of inversion methods by CLI name. Methods marked {@code needsTruth} (oracle
 * upper bounds) can only run where the true spectrogram is known, i.e. when inverting a WAV.
 */
public final class Methods {
    /** How to build one method for an STFT configuration; {@code truth} may be null unless needsTruth. */
    public interface Factory {
        Inverter create(StftConfig config, Spectrogram truth);
    }

    /** A catalogue entry; {@code available} says whether it can run at an STFT configuration (e.g. a model is shipped). */
    public record Method(String name, String description, boolean needsTruth, Factory factory,
                         Predicate<StftConfig> available) {
    }

    /** Built-in models, loaded once and shared: weights are immutable, per-stream state lives in the estimators. */
    private static final Map<String, PhaseModel> MODELS = new ConcurrentHashMap<>();

    private static final Map<String, Method> METHODS = new LinkedHashMap<>();

    static {
        add("oracle", "true phase (upper bound; needs the original signal)", true,
                (c, truth) -> new OracleInverter(truth));
        add("ls-oracle", "LS integration of the true phase derivatives (upper bound of the method)", true,
                (c, truth) -> LsInverter.oracle(truth));
        add("ls-heuristic", "LS integration of PGHI-relation derivatives from log-magnitudes, no look-ahead (no model)",
                false, (c, truth) -> LsInverter.heuristic(c, 0));
        add("ls-heuristic-la1", "LS integration of PGHI-relation derivatives, one frame of look-ahead (no model)",
                false, (c, truth) -> LsInverter.heuristic(c, 1));
        addModel("proposed", "tiny causal CNN (8.1k parameters; 5.5k at 512/128) + LS integration, no look-ahead (the method)");
        addModel("proposed-strided", "tiny CNN run every second frame, one frame of look-ahead, + LS integration");
        addModel("prior-sota", "Masuyama et al. 2023-style gated CNNs (~2x206k parameters) + LS integration");
        add("pghi", "PGHI (Prusa et al. 2017): heap integration of the whole spectrogram (offline)", false,
                (c, truth) -> new Pghi(c));
        add("rtpghi", "RTPGHI (Prusa & Holighaus 2017), no look-ahead", false,
                (c, truth) -> new Rtpghi(c, 0));
        add("rtpghi-la1", "RTPGHI with one frame of look-ahead", false,
                (c, truth) -> new Rtpghi(c, 1));
        add("rtisi-la", "RTISI-LA (Zhu et al. 2007): 3 frames look-ahead, 5 iterations, asymmetric window", false,
                (c, truth) -> new RtisiLa(c, 3, 5));
        add("spsi", "single-pass spectrogram inversion (Beauregard et al. 2015), no look-ahead", false,
                (c, truth) -> new Spsi(c));
        add("gla", "Griffin-Lim, 32 iterations, zero-phase start (offline)", false,
                (c, truth) -> GriffinLim.gla(c, 32));
        add("fgla", "Fast Griffin-Lim (Perraudin et al. 2013), momentum 0.99, 32 iterations (offline)", false,
                (c, truth) -> GriffinLim.fgla(c, 32));
        add("fgla-100", "Fast Griffin-Lim, momentum 0.99, 100 iterations (offline)", false,
                (c, truth) -> GriffinLim.fgla(c, 100));
    }

    private Methods() {
    }

    private static void add(String name, String description, boolean needsTruth, Factory f) {
        METHODS.put(name, new Method(name, description, needsTruth, f, c -> true));
    }

    private static void addModel(String kind, String description) {
        METHODS.put(kind, new Method(kind, description, false, (c, truth) -> network(kind, c),
                c -> Methods.class.getResource(PhaseModel.resourceName(kind, c)) != null));
    }

    /** A built-in network method: the shipped model for {@code config} with the LS weights stored beside it. */
    public static LsInverter network(String kind, StftConfig config) {
        PhaseModel model = MODELS.computeIfAbsent(kind + "@" + config.fftSize() + "/" + config.hop() + "/"
                + config.windowLength() + "/" + config.sampleRate(), key -> PhaseModel.builtin(kind, config));
        return network(kind, model, config);
    }

    /** A network method from any model (e.g. one trained with {@code phasegrad train}). */
    public static LsInverter network(String name, PhaseModel model, StftConfig config) {
        return new LsInverter(name, new NetworkDerivatives(model, config), LsParams.of(model.lsP(), model.lsGamma0()));
    }

    /** Method names that can run at {@code config} (e.g. a network method needs a model shipped for it). */
    public static List<String> availableNames(StftConfig config) {
        List<String> out = new ArrayList<>();
        for (Method m : METHODS.values()) {
            if (m.available().test(config)) {
                out.add(m.name());
            }
        }
        return out;
    }

    /** Every method name, in table order. */
    public static List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(METHODS.keySet()));
    }

    /** Method names that work from magnitudes alone. */
    public static List<String> magnitudeOnlyNames() {
        List<String> out = new ArrayList<>();
        for (Method m : METHODS.values()) {
            if (!m.needsTruth()) {
                out.add(m.name());
            }
        }
        return out;
    }

    public static Method get(String name) {
        Method m = METHODS.get(name);
        if (m == null) {
            throw new IllegalArgumentException("unknown method '" + name + "'; known: " + String.join(", ", names()));
        }
        return m;
    }

    /** Builds a method; {@code truth} is required for oracle methods and ignored otherwise. */
    public static Inverter create(String name, StftConfig config, Spectrogram truth) {
        Method m = get(name);
        if (m.needsTruth() && truth == null) {
            throw new IllegalArgumentException("method '" + name + "' needs the original signal's phase: "
                    + "give a WAV input, not a magnitude file");
        }
        return m.factory().create(config, truth);
    }
}
