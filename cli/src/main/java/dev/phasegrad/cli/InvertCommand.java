package dev.phasegrad.cli;

import dev.phasegrad.audio.Audio;
import dev.phasegrad.audio.Npy;
import dev.phasegrad.audio.WavWriter;
import dev.phasegrad.features.FeatureGrid;
import dev.phasegrad.features.FeatureSpec;
import dev.phasegrad.features.LogMelAnalysis;
import dev.phasegrad.features.MelInversion;
import dev.phasegrad.invert.Inverter;
import dev.phasegrad.stft.Spectrogram;
import dev.phasegrad.stft.Stft;
import dev.phasegrad.stft.StftConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "invert", mixinStandardHelpOptions = true,
        description = {"Reconstruct a waveform from STFT magnitudes.",
                "From a WAV: analyse it, discard the phase, reconstruct (the evaluation loop).",
                "From a .npy magnitude spectrogram (float32 or float64, [frames, N/2+1], C order,",
                "phasegrad's frame grid and STFT settings): reconstruct it directly.",
                "Batch: several inputs, directories (searched recursively for .wav and .npy),",
                "quoted globs or --manifest; OUT is then a directory that mirrors the inputs'",
                "relative paths as .wav files. Files run in parallel (--threads); a bad file",
                "is reported and skipped; a summary follows; exit code 0 only if all succeeded.",
                "Outputs are written atomically, never over an existing file without --force."},
        footer = {"", "Examples:",
                "  phasegrad invert speech.wav out.wav",
                "  phasegrad invert --method rtpghi --fft 512 --hop 128 speech.wav out.wav",
                "  phasegrad invert --log model_output.npy out.wav     # .npy holds ln|X|",
                "  phasegrad invert --model runs/phasegrad/best.pgnn speech.wav out.wav",
                "  phasegrad invert --log mels/ wavs/           # mels/a/b.npy -> wavs/a/b.wav",
                "  phasegrad invert --resume 'corpus/**.npy' wavs/   # skip existing outputs",
                "  phasegrad invert --manifest jobs.tsv         # lines: in.npy<TAB>out.wav"})
final class InvertCommand implements Callable<Integer> {
    private static final Set<String> INPUTS = Set.of(".wav", ".npy");

    @Mixin
    StftOptions stft = new StftOptions();

    @Mixin
    MethodOptions method = new MethodOptions();

    @Mixin
    FeatureOptions features = new FeatureOptions();

    @Option(names = "--log", description = "The .npy holds natural-log magnitudes ln|X| (exp is applied).")
    boolean log;

    @Option(names = "--float", description = "Write 32-bit float WAV instead of 16-bit PCM.")
    boolean float32;

    @Option(names = "--manifest", paramLabel = "FILE",
            description = "Inputs listed in FILE, one per line, or 'input<TAB>output' (paths relative to FILE's "
                    + "directory; '#' comments); lines without an output go to the OUT directory.")
    Path manifest;

    @Option(names = "--threads", paramLabel = "N", description = "Files inverted in parallel (default: all cores, ${DEFAULT-VALUE}).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--force", description = "Overwrite existing outputs.")
    boolean force;

    @Option(names = "--resume", description = "Skip inputs whose output exists already (e.g. after an interrupted batch).")
    boolean resume;

    @Parameters(paramLabel = "IN... OUT", arity = "0..*", hideParamSyntax = true,
            description = "Input .wav/.npy files, directories or quoted globs, then the output WAV file (one input) "
                    + "or directory (several).")
    List<String> paths = new ArrayList<>();

    /** What one file gave: for the per-file line and the summary. */
    record Inverted(Path output, int frames, int samples, int clipped) {
    }

    @Override
    public Integer call() throws Exception {
        StftConfig config = features.config(stft);
        if (threads < 1) {
            throw new Cli.UserError("--threads must be >= 1, got " + threads);
        }
        method.check(config);
        List<Batch.Entry> entries;
        boolean single = false;
        if (manifest != null) {
            if (paths.size() > 1) {
                throw new Cli.UserError("with --manifest give at most one argument, the output directory; got " + paths);
            }
            Path outDir = paths.isEmpty() ? null : Path.of(paths.get(0));
            entries = new ArrayList<>();
            for (Batch.Entry e : Batch.manifest(manifest, true)) {
                if (e.output() == null && outDir == null) {
                    throw new Cli.UserError(manifest + ": " + e.input() + " has no output column; give an output directory");
                }
                entries.add(e.output() != null ? e : new Batch.Entry(e.input(), null, e.under(outDir, ".wav")));
            }
        } else {
            if (paths.size() < 2) {
                throw new Cli.UserError("give an input and an output (IN OUT.wav, or IN... OUT_DIR); see --help");
            }
            Path out = Path.of(paths.get(paths.size() - 1));
            List<String> ins = paths.subList(0, paths.size() - 1);
            Path first = Path.of(ins.get(0));
            single = ins.size() == 1 && !Files.isDirectory(first) && (Files.exists(first) || !Batch.isGlob(ins.get(0)));
            if (single) {
                if (!Files.exists(first)) {
                    throw new Cli.UserError(first + ": no such file");
                }
                Path target = Files.isDirectory(out) ? out.resolve(Cli.baseName(first.getFileName()) + ".wav") : out;
                entries = List.of(new Batch.Entry(first, null, target));
            } else {
                if (Files.exists(out) && !Files.isDirectory(out)) {
                    throw new Cli.UserError(out + ": is a file; with several inputs the output is a directory");
                }
                entries = new ArrayList<>();
                for (Batch.Entry e : Batch.expand(ins, INPUTS)) {
                    entries.add(new Batch.Entry(e.input(), e.base(), e.under(out, ".wav")));
                }
                if (entries.isEmpty()) {
                    throw new Cli.UserError("no .wav or .npy files in " + ins);
                }
            }
        }
        List<Path> inputs = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        for (Batch.Entry e : entries) {
            inputs.add(e.input());
            outputs.add(e.output());
        }
        boolean[] skip = Batch.checkOutputs(inputs, outputs, force, resume, !single);
        if (single) {
            Batch.Entry e = entries.get(0);
            if (skip[0]) {
                System.out.println(e.output() + ": exists, skipped (--resume)");
                return 0;
            }
            Inverted r = invert(e.input(), e.output(), config, false);
            System.out.printf("%s: %d frames -> %s (%.2f s, %s, %s)%n", e.input(), r.frames(), r.output(),
                    r.samples() / (double) config.sampleRate(), method.label(), config);
            warnClipped(r.clipped(), 1);
            return 0;
        }
        long t0 = System.nanoTime();
        List<Batch.Outcome<Inverted>> outcomes = Batch.run(entries, skip, threads, "invert", e -> {
            Inverted r = invert(e.input(), e.output(), config, true);
            return new Batch.Done<>(r, r.samples() / (double) config.sampleRate());
        });
        int code = Batch.report("invert", outcomes, System.nanoTime() - t0, threads, System.out, System.err);
        long clipped = 0;
        int files = 0;
        for (Batch.Outcome<Inverted> o : outcomes) {
            if (o.ok() && !o.skipped() && o.done().value().clipped() > 0) {
                clipped += o.done().value().clipped();
                files++;
            }
        }
        warnClipped(clipped, files);
        return code;
    }

    private static void warnClipped(long clipped, int files) {
        if (clipped > 0) {
            System.err.printf("warning: %d samples%s clipped to [-1, 1) in 16-bit output; use --float to keep them%n",
                    clipped, files > 1 ? " in " + files + " files" : "");
        }
    }

    /**
     * One file: read, reconstruct, synthesise, write atomically (never over an existing file unless
     * --force); {@code mirror} creates the output's directory, only once there is something to put in it.
     */
    Inverted invert(Path input, Path output, StftConfig config, boolean mirror) throws Exception {
        String name = input.getFileName().toString().toLowerCase();
        if (features.active()) {
            return invertFeatures(input, name, output, mirror);
        }
        Spectrogram truth = null;
        float[][] magnitude;
        int length;
        if (name.endsWith(".npy")) {
            magnitude = log ? Npy.readLogMagnitude(input, config.bins()) : Npy.readMagnitude(input, config.bins());
            // the ISTFT's first N - hop samples precede the signal; the stream command trims the same
            length = Math.max(0, magnitude.length * config.hop() - config.analysisSynthesisDelay());
        } else {
            if (log) {
                throw new Cli.UserError("--log applies to .npy magnitude input only, not to " + input);
            }
            float[] x = Audio.read(input, config.sampleRate()).samples();
            truth = Stft.analyse(x, config);
            magnitude = truth.magnitude();
            length = x.length;
        }
        if (magnitude.length == 0) {
            throw new Cli.UserError(input + ": no frames to invert");
        }
        Inverter inv = method.build(config, truth);
        float[] y = Stft.synthesise(inv.reconstruct(magnitude, length));
        return write(output, y, magnitude.length, mirror);
    }

    /**
     * Log-mel frames (an .npy of [frames, bands], or a WAV analysed with the front end, of which only the
     * mel is kept) to audio: mel -> magnitude -> the method's phase -> synthesis aligned with the audio the
     * features came from, at the reference vocoder's length (the WAV's own length for a WAV).
     */
    private Inverted invertFeatures(Path input, String name, Path output, boolean mirror) throws Exception {
        FeatureSpec spec = features.spec();
        float[][] mel;
        int length;
        if (log) {
            throw new Cli.UserError("--log does not apply with --features (the features carry the front end's own log)");
        }
        if (name.endsWith(".npy")) {
            mel = Npy.read(input);
            if (mel.length > 0 && mel[0].length != spec.bands()) {
                throw new Cli.UserError(input + ": frames of " + mel[0].length + " values, " + spec.name() + " has "
                        + spec.bands() + " bands");
            }
            length = FeatureGrid.outputLength(spec, mel.length);
        } else {
            float[] x = Audio.read(input, spec.sampleRate()).samples();
            if (spec.frameCount(x.length) == 0 || (spec.reflectPadding() && x.length <= spec.padding())) {
                throw new Cli.UserError(input + ": " + x.length + " samples is too short for one " + spec.name() + " frame");
            }
            mel = new LogMelAnalysis(spec).logMel(x);
            length = x.length;
        }
        if (mel.length == 0) {
            throw new Cli.UserError(input + ": no frames to invert");
        }
        MelInversion.Worker w = features.inversion().newWorker();
        float[][] magnitude = new float[mel.length][spec.bins()];
        for (int t = 0; t < mel.length; t++) {
            w.magnitude(mel[t], magnitude[t]);
        }
        Inverter inv = method.build(spec.stft(), null);
        Spectrogram rec = inv.reconstruct(magnitude, FeatureGrid.reconstructionLength(spec, mel.length));
        return write(output, FeatureGrid.synthesise(rec, spec, length), mel.length, mirror);
    }

    private Inverted write(Path output, float[] y, int frames, boolean mirror) throws IOException {
        StftConfig config = features.active() ? features.spec().stft() : stft.config();
        Path parent = output.toAbsolutePath().getParent();
        if (mirror && parent != null) {
            Files.createDirectories(parent);
        }
        int clipped = 0;
        if (float32) {
            WavWriter.writeFloat32(output, y, config.sampleRate(), force);
        } else {
            clipped = WavWriter.writePcm16(output, y, config.sampleRate(), force);
        }
        return new Inverted(output, frames, y.length, clipped);
    }
}
