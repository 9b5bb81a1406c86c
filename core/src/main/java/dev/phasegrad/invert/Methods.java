package dev.phasegrad.invert;

import dev.phasegrad.stft.Spectrogram;
import dev.phasegrad.stft.StftConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The catalogue of inversion methods by CLI name. Methods marked {@code needsTruth} (oracle
 * upper bounds) can only run where the true spectrogram is known, i.e. when inverting a WAV.
 */
public final class Methods {
    /** How to build one method for an STFT configuration; {@code truth} may be null unless needsTruth. */
    public interface Factory {
        Inverter create(StftConfig config, Spectrogram truth);
    }

    /** A catalogue entry. */
    public record Method(String name, String description, boolean needsTruth, Factory factory) {
    }

    private static final Map<String, Method> METHODS = new LinkedHashMap<>();

    static {
        add("oracle", "true phase (upper bound; needs the original signal)", true,
                (c, truth) -> new OracleInverter(truth));
    }

    private Methods() {
    }

    private static void add(String name, String description, boolean needsTruth, Factory f) {
        METHODS.put(name, new Method(name, description, needsTruth, f));
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
