package dev.phasegrad.train;

import dev.phasegrad.audio.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings a run folder was started with ({@code settings.tsv}), checked on {@code --resume}. Why:
 * the checkpoint holds weights and Adam state but not the batch, learning rate, example count or
 * seed, and a resumed call with other values silently trains a different run (the learning-rate
 * schedule is counted in steps of the new batch; another seed or count draws other examples).
 * {@code --epochs} may change: extending a run is what resuming is for.
 */
final class RunSettings {
    static final String FILE = "settings.tsv";
    static final String CHECKPOINT = "checkpoint.bin";

    private RunSettings() {}

    /**
     * Settings that must match to continue a run, keyed by the {@code phasegrad train} option; the
     * built-in ones differ only between builds whose defaults differ.
     */
    static Map<String, String> of(TrainConfig c) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("--kind", c.kind);
        m.put("STFT (--fft/--hop/--win/--rate)", c.stft.toString());
        if (c.features != null) {
            m.put("--features", c.features.describe());
            m.put("--loss", c.magnitudeLoss.name());
            m.put("--weight-power", Double.toString(c.weightPower));
            m.put("--nnls-iterations", Integer.toString(c.nnlsIterations));
        }
        m.put(
                "channels (built-in)",
                Integer.toString(c.channels > 0 ? c.channels : Architectures.defaultChannels(c.kind)));
        m.put("--examples", Long.toString(c.examples));
        m.put("--batch", Integer.toString(c.batch));
        m.put("--lr", Double.toString(c.learningRate));
        m.put("final lr fraction (built-in)", Double.toString(c.finalLearningRateFraction));
        m.put("warm-up steps (built-in)", Integer.toString(c.warmupSteps));
        m.put("--seed", Long.toString(c.seed));
        return m;
    }

    static void write(TrainConfig c) throws IOException {
        StringBuilder sb = new StringBuilder("setting\tvalue\n");
        of(c).forEach((k, v) -> sb.append(k).append('\t').append(v).append('\n'));
        AtomicFiles.write(c.outDir.resolve(FILE), sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Throws when {@code c} would mix two runs in one folder: a new run (no {@code --resume}) into a
     * folder that holds a checkpoint, or a resumed one whose settings differ from those recorded.
     * A checkpoint without settings (folders from before this file existed) has nothing to check
     * against and passes; the trainer records the settings then.
     */
    static void check(TrainConfig c) throws IOException {
        Path checkpoint = c.outDir.resolve(CHECKPOINT);
        if (!Files.exists(checkpoint)) {
            return;
        }
        if (!c.resume) {
            throw new IllegalArgumentException(c.outDir + " already holds a run (" + CHECKPOINT + "): add --resume to "
                    + "continue it, or train into a new --out folder");
        }
        Path file = c.outDir.resolve(FILE);
        if (!Files.exists(file)) {
            return;
        }
        Map<String, String> started = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            int tab = line.indexOf('\t');
            if (tab > 0) {
                started.put(line.substring(0, tab), line.substring(tab + 1));
            }
        }
        List<String> differ = new ArrayList<>();
        of(c).forEach((k, v) -> {
            String was = started.get(k);
            if (was != null && !was.equals(v)) {
                differ.add(k + " " + was + " (now " + v + ")");
            }
        });
        if (!differ.isEmpty()) {
            throw new IllegalArgumentException(c.outDir + " was started with " + String.join(", ", differ)
                    + "; give the same values to continue that run (see " + file
                    + "), or train into a new --out folder");
        }
    }
}
