package dev.phasegrad.cli;

import dev.phasegrad.MelVocoder;
import dev.phasegrad.PhaseInverter;
import dev.phasegrad.audio.AtomicFiles;
import dev.phasegrad.audio.InputFileException;
import dev.phasegrad.audio.MagnitudeFrames;
import dev.phasegrad.features.FeatureGrid;
import dev.phasegrad.features.FeatureSpec;
import dev.phasegrad.features.LogMelAnalysis;
import dev.phasegrad.invert.Inverter;
import dev.phasegrad.invert.Methods;
import dev.phasegrad.stft.Spectrogram;
import dev.phasegrad.stft.Stft;
import dev.phasegrad.stft.StftConfig;
import dev.phasegrad.stft.StreamingStft;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "invert",
        mixinStandardHelpOptions = true,
        description = {
            "Reconstruct a waveform from STFT magnitudes.",
            "From a WAV: analyse it, discard the phase, reconstruct (the evaluation loop).",
            "From a .npy magnitude spectrogram (float32 or float64, [frames, N/2+1], C order,",
            "phasegrad's frame grid and STFT settings): reconstruct it directly.",
            "Batch: several inputs, directories (searched recursively for .wav and .npy),",
            "quoted globs or --manifest; OUT is then a directory that mirrors the inputs'",
            "relative paths as .wav files. Files run in parallel (--threads); a bad file",
            "is reported and skipped; a summary follows; exit code 0 only if all succeeded.",
            "Outputs are written atomically, never over an existing file without --force."
        },
        footer = {
            "",
            "Examples:",
            "  phasegrad invert speech.wav out.wav",
            "  phasegrad invert --method rtpghi --fft 512 --hop 128 speech.wav out.wav",
            "  phasegrad invert --log model_output.npy out.wav     # .npy holds ln|X|",
            "  phasegrad invert --model runs/phasegrad/best.pgnn speech.wav out.wav",
            "  phasegrad invert --log mels/ wavs/           # mels/a/b.npy -> wavs/a/b.wav",
            "  phasegrad invert --resume 'corpus/**.npy' wavs/   # skip existing outputs",
            "  phasegrad invert --manifest jobs.tsv         # lines: in.npy<TAB>out.wav"
        })
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

    @Option(
            names = "--manifest",
            paramLabel = "FILE",
            description = "Inputs listed in FILE, one per line, or 'input<TAB>output' (paths relative to FILE's "
                    + "directory; '#' comments); lines without an output go to the OUT directory.")
    Path manifest;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "Files inverted in parallel (default: all cores, ${DEFAULT-VALUE}).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--force", description = "Overwrite existing outputs.")
    boolean force;

    @Option(
            names = "--resume",
            description = "Skip inputs whose output exists already (e.g. after an interrupted batch).")
    boolean resume;

    @Parameters(
            paramLabel = "IN... OUT",
            arity = "0..*",
            hideParamSyntax = true,
            description = "Input .wav/.npy files, directories or quoted globs, then the output WAV file (one input) "
                    + "or directory (several).")
    List<String> paths = new ArrayList<>();

    /** What one file gave: for the per-file line and the summary. */
    record Inverted(Path output, int frames, long samples, long clipped) {}

    @Override
    public Integer call() throws Exception {
        StftConfig config = features.config(stft);
        if (features.active()) {
            method.forMel(features.spec());
        }
        if (threads < 1) {
            throw new Cli.UserError("--threads must be >= 1, got " + threads);
        }
        method.check(config);
        List<Batch.Entry> entries;
        boolean single = false;
        if (manifest != null) {
            if (paths.size() > 1) {
                throw new Cli.UserError(
                        "with --manifest give at most one argument, the output directory; got " + paths);
            }
            Path outDir = paths.isEmpty() ? null : Path.of(paths.get(0));
            entries = new ArrayList<>();
            for (Batch.Entry e : Batch.manifest(manifest, true)) {
                if (e.output() == null && outDir == null) {
                    throw new Cli.UserError(
                            manifest + ": " + e.input() + " has no output column; give an output directory");
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
            boolean stdin = ins.size() == 1 && ins.get(0).equals("-");
            single = stdin
                    || ins.size() == 1
                            && !Files.isDirectory(first)
                            && (Files.exists(first) || !Batch.isGlob(ins.get(0)));
            if (out.toString().equals("-") && !single) {
                throw new Cli.UserError("OUT '-' (standard output) takes one input, got " + ins);
            }
            if (single && (stdin || out.toString().equals("-"))) {
                entries = List.of(new Batch.Entry(first, null, out));
            } else if (single) {
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
        boolean toStdout = single && outputs.get(0).toString().equals("-");
        boolean[] skip = toStdout ? new boolean[1] : Batch.checkOutputs(inputs, outputs, force, resume, !single);
        if (single) {
            Batch.Entry e = entries.get(0);
            if (skip[0]) {
                System.out.println(e.output() + ": exists, skipped (--resume)");
                return 0;
            }
            Inverted r = invert(e.input(), e.output(), config, false);
            // with the audio on standard output, what was done goes to standard error
            (toStdout ? System.err : System.out)
                    .printf(
                            "%s: %d frames -> %s (%.2f s, %s, %s)%n",
                            e.input(),
                            r.frames(),
                            r.output(),
                            r.samples() / (double) config.sampleRate(),
                            method.label(),
                            config);
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
            System.err.printf(
                    "warning: %d samples%s clipped to [-1, 1) in 16-bit output; use --float to keep them%n",
                    clipped, files > 1 ? " in " + files + " files" : "");
        }
    }

    /**
     * One file: read, reconstruct, synthesise, write atomically (never over an existing file unless
     * --force); {@code mirror} creates the output's directory, only once there is something to put in it.
     * Streaming methods run frame by frame, reading and writing as they go, in constant memory; offline
     * methods and the oracles hold the whole signal, up to {@link Signals#MAX_WHOLE_CELLS}.
     */
    Inverted invert(Path input, Path output, StftConfig config, boolean mirror) throws Exception {
        Signals.Input in = Signals.Input.of(input);
        if (features.active()) {
            if (log) {
                throw new Cli.UserError(
                        "--log does not apply with --features (the features carry the front end's own log)");
            }
            return invertFeatures(in, output, mirror);
        }
        if (log && !in.npy()) {
            throw new Cli.UserError("--log applies to .npy magnitude input only, not to " + in.name());
        }
        if (streams()) {
            PhaseInverter inv = method.buildStreaming(config);
            return write(
                    output,
                    config.sampleRate(),
                    mirror,
                    out -> in.npy() ? streamNpy(in, config, inv, out) : streamWav(in, config, inv, out));
        }
        Spectrogram truth = null;
        float[][] magnitude;
        int length;
        if (in.npy()) {
            magnitude = readWhole(in, config);
            length = npyLength(in, magnitude.length, config);
        } else {
            float[] x;
            try (Signals.Samples s = Signals.Samples.open(in, config.sampleRate())) {
                x = s.readAll(Signals.maxWholeSamples(config), wholeRefusal(config));
            }
            truth = Stft.analyse(x, config);
            magnitude = truth.magnitude();
            length = x.length;
        }
        Inverter inv = method.build(config, truth);
        float[] y;
        try {
            y = Stft.synthesise(inv.reconstruct(magnitude, length));
        } catch (IllegalArgumentException e) {
            throw new Cli.UserError(in.name() + ": " + e.getMessage());
        }
        int frames = magnitude.length;
        return write(output, config.sampleRate(), mirror, out -> {
            emitAll(out, y);
            return frames;
        });
    }

    /** Whether the method runs frame by frame from magnitudes alone (a model file always does). */
    private boolean streams() {
        if (method.model != null) {
            return true;
        }
        Methods.Entry e = Methods.get(method.method());
        return e.isStreaming() && !e.needsTruth();
    }

    /** Why a whole-signal path refuses a long input: the end of "NAME: 3600.0 s ...". */
    private String wholeRefusal(StftConfig config) {
        Methods.Entry e = Methods.get(method.method());
        return "is longer than the " + Signals.wholeLimit(config) + " that "
                + (e.needsTruth() ? "the oracle " : "the offline ")
                + "method " + e.name() + " holds whole; use a streaming method ("
                + String.join(
                        ", ",
                        Methods.magnitudeOnlyNames().stream()
                                .filter(n -> Methods.get(n).isStreaming())
                                .toList())
                + ")";
    }

    /** Output samples of an .npy of {@code frames} frames: the synthesis' first N − hop samples precede the signal. */
    private static int npyLength(Signals.Input in, long frames, StftConfig config) {
        long length = frames * config.hop() - config.analysisSynthesisDelay();
        if (length <= 0) {
            throw new Cli.UserError(in.name() + ": " + frames + " frame" + (frames == 1 ? "" : "s")
                    + " give no samples: "
                    + "the synthesis' first N - hop = " + config.analysisSynthesisDelay()
                    + " samples precede the signal, so "
                    + "at " + config + " an .npy needs at least " + (config.analysisSynthesisDelay() / config.hop() + 1)
                    + " frames");
        }
        if (length > Integer.MAX_VALUE - 8) {
            return Integer.MAX_VALUE - 8;
        }
        return (int) length;
    }

    private MagnitudeFrames openNpy(Signals.Input in, int values, boolean mel) throws IOException {
        try {
            if (in.isStdin()) {
                return mel
                        ? MagnitudeFrames.openFeatures(in.stdin(), in.name(), values)
                        : MagnitudeFrames.open(in.stdin(), in.name(), values, log);
            }
            return mel ? MagnitudeFrames.openFeatures(in.path(), values) : MagnitudeFrames.open(in.path(), values, log);
        } catch (InputFileException e) {
            if (mel && e.problem().startsWith("frames of ")) {
                throw new Cli.UserError(in.name() + ": "
                        + e.problem()
                                .replace("expected " + values, features.spec().name() + " has " + values + " bands"));
            }
            throw e;
        }
    }

    /** The frames of an .npy for a whole-signal path, refused above the bound before they are read. */
    private float[][] readWhole(Signals.Input in, StftConfig config) throws IOException {
        try (MagnitudeFrames f = openNpy(in, config.bins(), false)) {
            return readFrames(f, in, config, config.bins());
        }
    }

    private float[][] readFrames(MagnitudeFrames f, Signals.Input in, StftConfig config, int values)
            throws IOException {
        long frames = f.declaredFrames();
        if (frames * config.bins() > Signals.MAX_WHOLE_CELLS) {
            throw new Cli.UserError(in.name() + ": " + frames + " frames ("
                    + String.format(Locale.ROOT, "%.1f s", frames * (double) config.hop() / config.sampleRate()) + ") "
                    + wholeRefusal(config));
        }
        float[][] out = new float[(int) frames][values];
        for (float[] row : out) {
            f.next(row);
        }
        f.next(new float[values]);
        return out;
    }

    /** A WAV analysed, inverted and synthesised frame by frame: the samples of the whole-signal path, bit for bit. */
    private int streamWav(Signals.Input in, StftConfig config, PhaseInverter inv, AudioOutput out) throws IOException {
        try (Signals.Samples s = Signals.Samples.open(in, config.sampleRate())) {
            int hop = config.hop();
            int bins = config.bins();
            StreamingStft stft = new StreamingStft(config);
            float[] block = new float[s.maxBlock()];
            float[] hopBuffer = new float[hop];
            float[] re = new float[bins];
            float[] im = new float[bins];
            float[] magnitude = new float[bins];
            float[] pcm = new float[hop];
            Emitter emit = new Emitter(out, inv.latencySamples());
            long length = 0;
            long frames = 0;
            int fill = 0;
            for (int r; (r = s.read(block)) > 0; length += r) {
                for (int i = 0; i < r; ) {
                    int take = Math.min(hop - fill, r - i);
                    System.arraycopy(block, i, hopBuffer, fill, take);
                    fill += take;
                    i += take;
                    if (fill == hop) {
                        analyseAndPush(stft, hopBuffer, re, im, magnitude, inv, pcm, emit, in);
                        fill = 0;
                        frames++;
                    }
                }
            }
            // Stft.analyse's frame count: the signal zero-padded until its last sample is fully overlap-added
            long total = (length + config.analysisSynthesisDelay() + hop - 1) / hop;
            emit.limit = inv.latencySamples() + length;
            for (; frames < total; frames++) {
                Arrays.fill(hopBuffer, fill, hop, 0f);
                fill = 0;
                analyseAndPush(stft, hopBuffer, re, im, magnitude, inv, pcm, emit, in);
            }
            float[] tail = new float[inv.latencySamples()];
            emit.write(tail, inv.flush(tail));
            return (int) Math.min(Integer.MAX_VALUE, frames);
        }
    }

    private static void analyseAndPush(
            StreamingStft stft,
            float[] hopSamples,
            float[] re,
            float[] im,
            float[] magnitude,
            PhaseInverter inv,
            float[] pcm,
            Emitter emit,
            Signals.Input in)
            throws IOException {
        stft.push(hopSamples, 0, re, im);
        for (int k = 0; k < magnitude.length; k++) {
            // as Spectrogram.magnitude() computes it
            magnitude[k] = (float) Math.hypot(re[k], im[k]);
        }
        emit.write(pcm, push(inv, magnitude, pcm, in));
    }

    private static int push(PhaseInverter inv, float[] magnitude, float[] pcm, Signals.Input in) {
        try {
            return inv.push(magnitude, pcm);
        } catch (IllegalArgumentException e) {
            throw new Cli.UserError(in.name() + ": " + e.getMessage());
        }
    }

    /** An .npy of magnitudes inverted frame by frame: the samples of the whole-file path, bit for bit. */
    private int streamNpy(Signals.Input in, StftConfig config, PhaseInverter inv, AudioOutput out) throws IOException {
        try (MagnitudeFrames f = openNpy(in, config.bins(), false)) {
            int length = npyLength(in, f.declaredFrames(), config);
            Emitter emit = new Emitter(out, inv.latencySamples());
            emit.limit = inv.latencySamples() + (long) length;
            float[] magnitude = new float[config.bins()];
            float[] pcm = new float[config.hop()];
            while (f.next(magnitude)) {
                emit.write(pcm, push(inv, magnitude, pcm, in));
            }
            float[] tail = new float[inv.latencySamples()];
            emit.write(tail, inv.flush(tail));
            return (int) Math.min(Integer.MAX_VALUE, f.frames());
        }
    }

    /**
     * Log-mel frames (an .npy of [frames, bands], or a WAV analysed with the front end, of which only the
     * mel is kept) to audio: mel -> magnitude -> the method's phase -> synthesis aligned with the audio the
     * features came from, at the reference vocoder's length (the WAV's own length for a WAV). Streaming
     * methods run through a {@link MelVocoder} in constant memory; the others hold the whole signal.
     */
    private Inverted invertFeatures(Signals.Input in, Path output, boolean mirror) throws Exception {
        FeatureSpec spec = features.spec();
        StftConfig config = spec.stft();
        if (streams()) {
            MelVocoder voc = method.buildVocoder(spec, features.inversion());
            return write(output, spec.sampleRate(), mirror, out -> {
                float[] pcm = new float[voc.hop()];
                float[] tail = new float[voc.maxFlushSamples()];
                if (in.npy()) {
                    try (MagnitudeFrames f = openNpy(in, spec.bands(), true)) {
                        float[] mel = new float[spec.bands()];
                        while (f.next(mel)) {
                            out.writeAll(pcm, voc.push(mel, pcm));
                        }
                        out.writeAll(tail, voc.flush(tail));
                        return (int) Math.min(Integer.MAX_VALUE, f.frames());
                    }
                }
                try (Signals.Samples s = Signals.Samples.open(in, spec.sampleRate())) {
                    FeatureFrames frames = new FeatureFrames(spec);
                    FeatureFrames.Sink sink = mel -> out.writeAll(pcm, voc.push(mel, pcm));
                    float[] block = new float[s.maxBlock()];
                    for (int r; (r = s.read(block)) > 0; ) {
                        frames.push(block, 0, r, sink);
                    }
                    long length = frames.finish(in.name(), sink);
                    out.writeAll(tail, voc.flush(tail, length));
                    return (int) Math.min(Integer.MAX_VALUE, frames.frameCount(length));
                }
            });
        }
        float[][] mel;
        int length;
        if (in.npy()) {
            try (MagnitudeFrames f = openNpy(in, spec.bands(), true)) {
                mel = readFrames(f, in, config, spec.bands());
            }
            length = FeatureGrid.outputLength(spec, mel.length);
        } else {
            float[] x;
            try (Signals.Samples s = Signals.Samples.open(in, spec.sampleRate())) {
                x = s.readAll(Signals.maxWholeSamples(config), wholeRefusal(config));
            }
            if (spec.frameCount(x.length) == 0 || (spec.reflectPadding() && x.length <= spec.padding())) {
                throw new Cli.UserError(
                        in.name() + ": " + x.length + " samples is too short for one " + spec.name() + " frame");
            }
            mel = new LogMelAnalysis(spec).logMel(x);
            length = x.length;
        }
        float[][] magnitude = features.inversion().magnitudes(mel);
        Inverter inv = method.build(config, null);
        float[] y;
        try {
            Spectrogram rec = inv.reconstruct(magnitude, FeatureGrid.reconstructionLength(spec, mel.length));
            y = FeatureGrid.synthesise(rec, spec, length);
        } catch (IllegalArgumentException e) {
            throw new Cli.UserError(in.name() + ": " + e.getMessage());
        }
        int frames = mel.length;
        return write(output, spec.sampleRate(), mirror, out -> {
            emitAll(out, y);
            return frames;
        });
    }

    private static void emitAll(AudioOutput out, float[] y) throws IOException {
        out.writeAll(y, y.length);
    }

    /** Sends a stream's samples on, dropping the first {@code skip} (the output delay) and any from {@code limit} on. */
    private static final class Emitter {
        private final AudioOutput out;
        private final long skip;
        long limit = Long.MAX_VALUE;
        private long at;

        Emitter(AudioOutput out, long skip) {
            this.out = out;
            this.skip = skip;
        }

        void write(float[] x, int n) throws IOException {
            long from = Math.max(at, skip);
            long to = Math.min(at + n, limit);
            for (long i = from; i < to; ) {
                int len = (int) Math.min(out.maxSamples(), to - i);
                out.write(x, (int) (i - at), len);
                i += len;
            }
            at += n;
        }
    }

    /** What a file's inversion writes to its {@link AudioOutput}; returns the frames it inverted. */
    @FunctionalInterface
    interface Producer {
        int run(AudioOutput out) throws IOException;
    }

    /**
     * Writes what {@code producer} makes: to a file atomically (a temporary file beside it, the WAV header
     * rewritten with the sizes at the end, then a rename; never over an existing file without --force), or
     * to standard output for "-".
     */
    private Inverted write(Path output, int rate, boolean mirror, Producer producer) throws IOException {
        int[] frames = new int[1];
        long[] counts = new long[2];
        if (output.toString().equals("-")) {
            OutputStream os;
            FileChannel channel = null;
            if (StreamCommand.ownsStdout) {
                FileOutputStream fd = new FileOutputStream(FileDescriptor.out);
                channel = StreamCommand.seekable(fd.getChannel());
                os = new BufferedOutputStream(fd, 1 << 16);
            } else {
                os = System.out;
            }
            AudioOutput out =
                    new AudioOutput(os, "stdout", false, channel, AudioOutput.Format.wav, float32, rate, BLOCK);
            run(out, producer, frames, counts);
            return new Inverted(output, frames[0], counts[0], counts[1]);
        }
        if (Files.exists(output) && !Files.isRegularFile(output) && !Files.isDirectory(output)) {
            // a device or a pipe (/dev/null, a FIFO): written in place, as a rename would replace it by a file
            try (FileOutputStream fd = new FileOutputStream(output.toFile())) {
                AudioOutput out = new AudioOutput(
                        new BufferedOutputStream(fd, 1 << 16),
                        output.toString(),
                        false,
                        StreamCommand.seekable(fd.getChannel()),
                        AudioOutput.Format.wav,
                        float32,
                        rate,
                        BLOCK);
                run(out, producer, frames, counts);
            }
            return new Inverted(output, frames[0], counts[0], counts[1]);
        }
        Path parent = output.toAbsolutePath().getParent();
        if (mirror && parent != null) {
            Files.createDirectories(parent);
        }
        AtomicFiles.writeWithChannel(
                output,
                force,
                (os, channel) -> run(
                        new AudioOutput(
                                os, output.toString(), false, channel, AudioOutput.Format.wav, float32, rate, BLOCK),
                        producer,
                        frames,
                        counts));
        return new Inverted(output, frames[0], counts[0], counts[1]);
    }

    private static void run(AudioOutput out, Producer producer, int[] frames, long[] counts) throws IOException {
        out.begin();
        frames[0] = producer.run(out);
        String warning = out.finish();
        if (warning != null) {
            System.err.println(warning);
        }
        counts[0] = out.samples();
        counts[1] = out.clipped();
    }

    private static final int BLOCK = 8192;
}
