package dev.phasegrad.flink;

import dev.phasegrad.audio.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * The batch job: WAV files (a directory, a quoted glob, files, or a manifest) to reconstructed WAVs,
 * in Flink's BATCH execution mode. Job graph: {@code files (p 1) -> rebalance -> invert file (p) ->
 * outcomes}, the failures arriving on a side output and unioned with the successes for the client.
 */
public final class BatchJob {
    private static final Set<String> AUDIO = Set.of(".wav", ".aif", ".aiff", ".au");

    private BatchJob() {}

    /**
     * Inputs to jobs. A directory is searched recursively for WAV/AIFF/AU files and mirrored into
     * {@code outDir}; a glob such as {@code 'clips/**.wav'} is mirrored from its fixed leading directory;
     * a file goes to {@code outDir} under its own name, with {@code .wav}.
     *
     * @param inputs files, directories, globs
     * @param outDir the output directory
     * @return the jobs, in input order, directories and globs sorted
     * @throws IllegalArgumentException for an input that does not exist and matches nothing, or two
     *                                  inputs with the same output
     */
    public static List<FileJob> plan(List<String> inputs, Path outDir) {
        List<FileJob> jobs = new ArrayList<>();
        for (String arg : inputs) {
            Path p = Path.of(arg);
            if (Files.isDirectory(p)) {
                for (Path f : walk(p, null)) {
                    jobs.add(job(f, p, outDir));
                }
            } else if (Files.exists(p)) {
                jobs.add(job(p, null, outDir));
            } else if (arg.chars().anyMatch(c -> "*?[{".indexOf(c) >= 0)) {
                Path base = fixedPart(arg);
                PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + arg);
                List<Path> found = Files.isDirectory(base) ? walk(base, m) : List.of();
                if (found.isEmpty()) {
                    throw new IllegalArgumentException(arg + ": no file matches");
                }
                for (Path f : found) {
                    jobs.add(job(f, base, outDir));
                }
            } else {
                throw new IllegalArgumentException(arg + ": no such file or directory");
            }
        }
        return unique(jobs);
    }

    /**
     * A manifest: one job per line, {@code input} (output in {@code outDir} under the input's name) or
     * {@code input<TAB>output}; relative paths are relative to the manifest's directory; blank lines and
     * lines starting with {@code #} are skipped.
     *
     * @param manifest the manifest file
     * @param outDir   the output directory for lines without an output, or null if every line has one
     * @return the jobs in manifest order
     * @throws IOException              if the manifest cannot be read
     * @throws IllegalArgumentException for a line without an output and no {@code outDir}, or duplicate outputs
     */
    public static List<FileJob> manifest(Path manifest, Path outDir) throws IOException {
        List<FileJob> jobs = new ArrayList<>();
        Path dir = manifest.toAbsolutePath().getParent();
        List<String> lines = Files.readAllLines(manifest, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] cols = line.split("\t", -1);
            Path in = dir.resolve(cols[0].strip());
            if (cols.length > 1 && !cols[1].isBlank()) {
                jobs.add(new FileJob(in.toString(), dir.resolve(cols[1].strip()).toString()));
            } else if (outDir != null) {
                jobs.add(job(in, null, outDir));
            } else {
                throw new IllegalArgumentException(
                        manifest + ": line " + (i + 1) + " names no output and no output " + "directory is given");
            }
        }
        return unique(jobs);
    }

    /**
     * Builds the job on {@code env} (switched to BATCH mode, generic types forbidden).
     *
     * @param env         the environment
     * @param jobs        the files
     * @param spec        method and settings
     * @param parallelism tasks inverting files
     * @return every file's outcome, successes and failures
     */
    public static DataStream<FileOutcome> build(
            StreamExecutionEnvironment env, List<FileJob> jobs, InverterSpec spec, int parallelism) {
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        Streams.forbidGenericTypes(env);
        SingleOutputStreamOperator<FileOutcome> done = env.fromData(jobs, TypeInformation.of(FileJob.class))
                .name("files")
                .rebalance()
                .process(new InvertFile(spec), TypeInformation.of(FileOutcome.class))
                .name("phasegrad invert file (" + spec.method() + ")")
                .setParallelism(parallelism);
        return done.union(done.getSideOutput(InvertFile.FAILED));
    }

    /**
     * Runs the job and collects the outcomes in input order; writes the metrics table (tab-separated,
     * one row per file, failures included) atomically when {@code metrics} is not null.
     *
     * @param env         the environment (an embedded MiniCluster, or a cluster under {@code flink run})
     * @param jobs        the files
     * @param spec        method and settings
     * @param parallelism tasks inverting files
     * @param metrics     the metrics table, or null
     * @return the outcomes, in the order of {@code jobs}
     * @throws Exception if the job fails (not for bad files: those are outcomes)
     */
    public static List<FileOutcome> run(
            StreamExecutionEnvironment env, List<FileJob> jobs, InverterSpec spec, int parallelism, Path metrics)
            throws Exception {
        List<FileOutcome> outcomes = new ArrayList<>();
        if (!jobs.isEmpty()) {
            try (CloseableIterator<FileOutcome> it = build(env, jobs, spec, parallelism)
                    .executeAndCollect("phasegrad batch (" + jobs.size() + " files)")) {
                it.forEachRemaining(outcomes::add);
            }
        }
        List<String> order = jobs.stream().map(j -> j.input).toList();
        outcomes.sort((a, b) -> Integer.compare(order.indexOf(a.input), order.indexOf(b.input)));
        if (metrics != null) {
            StringBuilder table = new StringBuilder(FileOutcome.HEADER).append('\n');
            for (FileOutcome o : outcomes) {
                table.append(o.row()).append('\n');
            }
            AtomicFiles.write(metrics, table.toString().getBytes(StandardCharsets.UTF_8));
        }
        return outcomes;
    }

    private static FileJob job(Path input, Path base, Path outDir) {
        Path rel = base == null ? input.getFileName() : base.relativize(input);
        String name = rel.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        Path out = rel.getParent() == null
                ? outDir.resolve(stem + ".wav")
                : outDir.resolve(rel.getParent()).resolve(stem + ".wav");
        return new FileJob(input.toString(), out.toString());
    }

    private static List<FileJob> unique(List<FileJob> jobs) {
        Set<Path> outputs = new HashSet<>();
        for (FileJob j : jobs) {
            Path out = Path.of(j.output).toAbsolutePath().normalize();
            if (out.equals(Path.of(j.input).toAbsolutePath().normalize())) {
                throw new IllegalArgumentException(j.input + ": the output would overwrite the input");
            }
            if (!outputs.add(out)) {
                throw new IllegalArgumentException(j.output + ": two inputs would be written here (" + j.input + ")");
            }
        }
        return jobs;
    }

    /** The leading directories of a glob without glob characters, {@code .} if none. */
    private static Path fixedPart(String glob) {
        Path g = Path.of(glob);
        Path base = g.getRoot();
        for (Path part : g) {
            if (part.toString().chars().anyMatch(c -> "*?[{".indexOf(c) >= 0)) {
                break;
            }
            base = base == null ? part : base.resolve(part);
        }
        return base == null ? Path.of(".") : base;
    }

    private static List<Path> walk(Path dir, PathMatcher matcher) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    // Files.walk(".") gives "./x.wav", which a glob "*.wav" does not match
                    .filter(f -> matcher != null ? matcher.matches(f.normalize()) : isAudio(f))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isAudio(Path f) {
        String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
        return AUDIO.stream().anyMatch(n::endsWith);
    }
}
