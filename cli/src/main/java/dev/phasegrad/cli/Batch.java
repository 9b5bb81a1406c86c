package dev.phasegrad.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Many files through one command: expanding directories, globs and manifests into jobs, checking
 * every output before any work starts, running the jobs on a thread pool, and reporting.
 * A bad input fails its own job only; the summary and the exit code say how many failed.
 */
final class Batch {
    private Batch() {}

    /**
     * One input, where it was found and where its output goes.
     *
     * @param base   the directory its relative path is mirrored from (a directory argument or the
     *               fixed part of a glob), or null for a file named directly
     * @param output an output named by a manifest line, else null (derived from the output directory)
     */
    record Entry(Path input, Path base, Path output) {
        /** The input's path below {@link #base} without its extension, or its bare name. */
        String stem() {
            Path rel = base != null ? base.relativize(input) : input.getFileName();
            String name = Cli.baseName(rel.getFileName());
            return rel.getParent() == null
                    ? name
                    : rel.getParent().resolve(name).toString();
        }

        /** The output below {@code dir}: the input's relative path with {@code suffix} for its extension. */
        Path under(Path dir, String suffix) {
            return dir.resolve(stem() + suffix);
        }
    }

    static boolean isGlob(String arg) {
        return arg.indexOf('*') >= 0 || arg.indexOf('?') >= 0 || arg.indexOf('[') >= 0 || arg.indexOf('{') >= 0;
    }

    /**
     * Files, directories (searched recursively for the extensions, sorted) and quoted globs such as
     * {@code 'clips/**.wav'} (matched below their fixed leading directories, sorted).
     *
     * @param extensions lower-case, with the dot, e.g. {@code ".wav"}
     */
    static List<Entry> expand(List<String> args, Set<String> extensions) {
        List<Entry> out = new ArrayList<>();
        for (String arg : args) {
            Path p = Path.of(arg);
            if (Files.isDirectory(p)) {
                for (Path f : walk(p, Integer.MAX_VALUE)) {
                    if (hasExtension(f, extensions)) {
                        out.add(new Entry(f, p, null));
                    }
                }
            } else if (Files.exists(p)) {
                out.add(new Entry(p, null, null));
            } else if (isGlob(arg)) {
                int before = out.size();
                glob(arg, out);
                if (out.size() == before) {
                    throw new Cli.UserError(arg + ": no file matches");
                }
            } else {
                throw new Cli.UserError(arg + ": no such file or directory");
            }
        }
        return out;
    }

    private static void glob(String arg, List<Entry> out) {
        Path pattern = Path.of(arg);
        Path base = pattern.isAbsolute() ? pattern.getRoot() : Path.of("");
        int fixed = 0;
        for (; fixed < pattern.getNameCount() - 1; fixed++) {
            String part = pattern.getName(fixed).toString();
            if (isGlob(part)) {
                break;
            }
            base = base.resolve(part);
        }
        Path rest = pattern.subpath(fixed, pattern.getNameCount());
        // walk "." for a pattern without a fixed directory, but keep the user's spelling "a.wav", not "./a.wav"
        boolean here = base.toString().isEmpty();
        Path root = here ? Path.of(".") : base;
        if (!Files.isDirectory(root)) {
            throw new Cli.UserError(arg + ": no such directory " + base);
        }
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + rest);
        int depth = rest.toString().contains("**") ? Integer.MAX_VALUE : rest.getNameCount();
        for (Path f : walk(root, depth)) {
            Path rel = root.relativize(f);
            if (m.matches(rel)) {
                out.add(new Entry(here ? rel : f, base, null));
            }
        }
    }

    private static List<Path> walk(Path dir, int depth) {
        try (Stream<Path> s = Files.walk(dir, depth)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean hasExtension(Path f, Set<String> extensions) {
        String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
        for (String e : extensions) {
            if (n.endsWith(e)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A manifest: one input per line, or {@code input<TAB>output}; blank lines and lines starting
     * with '#' are skipped; relative paths are relative to the manifest's directory, so a manifest
     * travels with its files.
     *
     * @param outputs whether the command takes an output column
     */
    static List<Entry> manifest(Path file, boolean outputs) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new Cli.UserError(file + ": no such manifest file");
        } catch (IOException e) {
            throw new Cli.UserError(file + ": cannot read the manifest (" + e.getMessage() + ")");
        }
        Path dir = file.toAbsolutePath().getParent();
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] cols = lines.get(i).split("\t", -1);
            if (cols.length > 2 || cols[0].isBlank() || (cols.length == 2 && cols[1].isBlank())) {
                throw new Cli.UserError(
                        file + ": line " + (i + 1) + ": expected 'input' or 'input<TAB>output', got '" + line + "'");
            }
            if (cols.length == 2 && !outputs) {
                throw new Cli.UserError(
                        file + ": line " + (i + 1) + ": this command's manifest lists inputs only," + " one per line");
            }
            Path in = dir.resolve(cols[0].strip());
            out.add(new Entry(in, null, cols.length == 2 ? dir.resolve(cols[1].strip()) : null));
        }
        if (out.isEmpty()) {
            throw new Cli.UserError(file + ": the manifest lists no files");
        }
        return out;
    }

    /**
     * Refuses, before any work, outputs that are an input themselves, that two inputs share, or
     * that exist already (unless {@code force}; with {@code resume} those jobs are skipped instead).
     *
     * @param offerResume whether the command has --resume (named in the refusal)
     * @return for each pair, whether to skip it (its output exists and {@code resume} is set)
     */
    static boolean[] checkOutputs(
            List<Path> inputs, List<Path> outputs, boolean force, boolean resume, boolean offerResume) {
        if (force && resume) {
            throw new Cli.UserError(
                    "--force and --resume contradict each other: overwrite existing outputs, or skip them?");
        }
        boolean[] skip = new boolean[outputs.size()];
        Map<Path, Path> claimed = new HashMap<>();
        List<Path> existing = new ArrayList<>();
        for (int i = 0; i < outputs.size(); i++) {
            Path in = inputs.get(i);
            Path out = outputs.get(i);
            Path key = out.toAbsolutePath().normalize();
            Path other = claimed.putIfAbsent(key, in);
            if (other != null) {
                throw new Cli.UserError(other + " and " + in + " would both be written to " + out
                        + "; rename one or use a manifest with explicit outputs");
            }
            if (!Files.exists(out)) {
                continue;
            }
            if (sameFile(in, out)) {
                throw new Cli.UserError(out + ": is the input " + in + " itself; refusing to overwrite an input");
            }
            if (Files.isDirectory(out)) {
                throw new Cli.UserError(out + ": is a directory, expected an output file");
            }
            if (resume) {
                skip[i] = true;
            } else if (!force) {
                existing.add(out);
            }
        }
        if (!existing.isEmpty()) {
            throw new Cli.UserError(existing.get(0) + ": exists"
                    + (existing.size() > 1 ? " (and " + (existing.size() - 1) + " more outputs)" : "")
                    + "; pass --force to overwrite" + (offerResume ? " or --resume to skip existing outputs" : ""));
        }
        return skip;
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.exists(a) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /** What a job hands back: its value and how much audio it covered (for the summary). */
    record Done<T>(T value, double audioSeconds) {}

    /** One job's outcome: done, skipped (--resume) or failed with a one-line message. */
    record Outcome<T>(Entry entry, Done<T> done, boolean skipped, String error) {
        boolean ok() {
            return error == null;
        }
    }

    @FunctionalInterface
    interface Task<T> {
        Done<T> run(Entry entry) throws Exception;
    }

    /**
     * Runs {@code task} for each non-skipped entry on {@code threads} threads; results in input
     * order. An exception fails that job only (its message kept); an Error stops the batch.
     */
    static <T> List<Outcome<T>> run(List<Entry> entries, boolean[] skip, int threads, String label, Task<T> task) {
        List<Outcome<T>> out = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, entries.size())), r -> {
            Thread t = new Thread(r, "phasegrad-" + label);
            t.setDaemon(true);
            return t;
        });
        try (Progress progress = new Progress(label, entries.size())) {
            List<Future<Outcome<T>>> futures = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                Entry e = entries.get(i);
                boolean skipped = skip != null && skip[i];
                futures.add(pool.submit(() -> {
                    try {
                        if (skipped) {
                            return new Outcome<>(e, null, true, null);
                        }
                        return new Outcome<>(e, task.run(e), false, null);
                    } catch (Exception ex) {
                        return new Outcome<T>(e, null, false, Main.describe(ex));
                    } finally {
                        progress.step(e.input().getFileName().toString());
                    }
                }));
            }
            for (Future<Outcome<T>> f : futures) {
                out.add(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Cli.UserError(label + ": interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IllegalStateException(cause);
        } finally {
            pool.shutdownNow();
        }
        return out;
    }

    /**
     * Prints each failure as one line on {@code err} (input order), then the summary line on
     * {@code out}; returns the exit code: 0 only when no job failed.
     */
    static <T> int report(
            String command, List<Outcome<T>> outcomes, long wallNanos, int threads, PrintStream out, PrintStream err) {
        int ok = 0;
        int failed = 0;
        int skipped = 0;
        double audio = 0;
        for (Outcome<T> o : outcomes) {
            if (!o.ok()) {
                failed++;
                err.println("phasegrad " + command + ": failed: " + o.error());
            } else if (o.skipped()) {
                skipped++;
            } else {
                ok++;
                audio += o.done().audioSeconds();
            }
        }
        double wall = wallNanos / 1e9;
        out.println(summary(command, ok, failed, skipped, audio, wall, threads));
        return failed == 0 ? 0 : 1;
    }

    static String summary(
            String command, int ok, int failed, int skipped, double audioSeconds, double wallSeconds, int threads) {
        return String.format(
                Locale.ROOT,
                "%s: %d file%s ok, %d failed%s; %.1f s of audio (%.4f h) in %.1f s,"
                        + " real-time factor %s (wall clock, %d thread%s)",
                command,
                ok,
                ok == 1 ? "" : "s",
                failed,
                skipped > 0 ? ", " + skipped + " skipped (--resume)" : "",
                audioSeconds,
                audioSeconds / 3600,
                wallSeconds,
                audioSeconds > 0 ? String.format(Locale.ROOT, "%.3f", wallSeconds / audioSeconds) : "-",
                threads,
                threads == 1 ? "" : "s");
    }
}
