package dev.phasegrad.integrate;

import dev.phasegrad.stft.StftConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Tuned LS weights per STFT configuration and derivative source, read from the resource
 * {@code ls-defaults.properties} next to this class. Keys, most specific first:
 * <pre>
 *   &lt;source&gt;.&lt;fftSize&gt;.&lt;hop&gt;.p / .gamma0      e.g. oracle.1024.256.gamma0
 *   &lt;source&gt;.p / .gamma0
 *   default.p / default.gamma0
 * </pre>
 * Sources used by phasegrad: {@code oracle} (true derivatives), {@code heuristic} (PGHI relations,
 * per look-ahead as {@code heuristic-la0}, {@code heuristic-la1} when they differ), {@code network}.
 * The best γ₀ depends on both the STFT size and the derivative source, hence the two-level keys;
 * a trained model file should carry its own values. Immutable table, thread safe.
 */
public final class LsDefaults {
    private static final Properties TABLE = load();

    private LsDefaults() {}

    /** Parameters for this configuration and derivative source, falling back as described above. */
    public static LsParams forSource(StftConfig config, String source) {
        return forSource(TABLE, config, source);
    }

    /** The lookup on any table with this class's key scheme (for tests). */
    static LsParams forSource(Properties table, StftConfig config, String source) {
        double p = lookup(table, config, source, "p");
        double g = lookup(table, config, source, "gamma0");
        return LsParams.of(p, g);
    }

    private static double lookup(Properties table, StftConfig config, String source, String field) {
        String[] keys = {
            source + "." + config.fftSize() + "." + config.hop() + "." + field,
            source + "." + field,
            "default." + field,
        };
        for (String key : keys) {
            String v = table.getProperty(key);
            if (v != null) {
                try {
                    return Double.parseDouble(v.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalStateException(
                            "ls-defaults.properties: " + key + " = '" + v + "' is not a number", e);
                }
            }
        }
        throw new IllegalStateException("ls-defaults.properties has no default." + field);
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = LsDefaults.class.getResourceAsStream("ls-defaults.properties")) {
            if (in == null) {
                throw new IllegalStateException("resource dev/phasegrad/integrate/ls-defaults.properties is missing");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ls-defaults.properties", e);
        }
        return p;
    }
}
