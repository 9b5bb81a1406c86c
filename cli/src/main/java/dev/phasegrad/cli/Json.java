package dev.phasegrad.cli;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.jr.ob.JSON;
import dev.phasegrad.audio.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * JSON output of the CLI (reports, bench tables) through jackson-jr: escaping and number syntax are
 * the library's, the layout ({@code "key": value}, one field per line) and rounding are chosen here.
 */
final class Json {
    private static final JSON OUT = JSON.std.with(new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE));

    private Json() {}

    /** An object whose fields keep their insertion order in the output. */
    static Map<String, Object> object() {
        return new LinkedHashMap<>();
    }

    /**
     * A measured value at 6 significant digits (more would only print noise and churn diffs of
     * committed reports); null for NaN/Inf, which JSON cannot hold.
     */
    static Double num(double v) {
        return num(v, 6);
    }

    /** {@link #num(double)} at {@code digits} significant digits (timings: 4, their noise is larger). */
    static Double num(double v, int digits) {
        return Double.isFinite(v) ? Double.valueOf(String.format(Locale.ROOT, "%." + digits + "g", v)) : null;
    }

    static String text(Object tree) throws IOException {
        return OUT.asString(tree) + "\n";
    }

    /** Writes {@code tree} (maps, lists, strings, numbers, null) atomically, creating the parent directory. */
    static void write(Path file, Object tree) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        AtomicFiles.write(file, text(tree).getBytes(StandardCharsets.UTF_8));
    }
}
