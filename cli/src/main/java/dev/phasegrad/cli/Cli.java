package dev.phasegrad.cli;

import dev.phasegrad.invert.Methods;
import dev.phasegrad.nn.PhaseModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small shared CLI helpers: failing with a one-line message, reading model files. */
final class Cli {
    private Cli() {}

    /** A user-facing error: printed as one line, exit code 1, no stack trace. */
    static final class UserError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UserError(String message) {
            super(message);
        }
    }

    /**
     * Model files given with {@code --model}, each as a method named after its file (without .pgnn);
     * names must be unique and must not shadow a built-in method.
     */
    static Map<String, PhaseModel> readModels(List<Path> files) throws IOException {
        Map<String, PhaseModel> out = new LinkedHashMap<>();
        if (files == null) {
            return out;
        }
        for (Path f : files) {
            String name = baseName(f);
            if (Methods.isKnown(name)) {
                throw new UserError(f + ": its name '" + name + "' is a built-in method or an old name of one; "
                        + "rename the file");
            }
            if (out.containsKey(name)) {
                throw new UserError(f + ": two model files are named '" + name + "'; rename one");
            }
            if (!Files.isRegularFile(f)) {
                throw new UserError(f + ": no such model file");
            }
            out.put(name, PhaseModel.read(f));
        }
        return out;
    }

    /** Method names as the catalogue spells them: old names (e.g. proposed) become the current ones (phasegrad). */
    static List<String> methodNames(List<String> names) {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            try {
                out.add(Methods.get(n).name());
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
        }
        return out;
    }

    static String baseName(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
