package dev.phasegrad.cli.bench;

import dev.phasegrad.audio.Audio;
import dev.phasegrad.audio.InputFileException;
import dev.phasegrad.integrate.ConjugateGradientSolver;
import dev.phasegrad.integrate.DenseSolver;
import dev.phasegrad.integrate.HermitianTridiagonalSolver;
import dev.phasegrad.integrate.LsSystems;
import dev.phasegrad.integrate.TridiagonalSolver;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Times the three solvers of the per-frame LS phase-integration system ({@link TridiagonalSolver},
 * {@link ConjugateGradientSolver}, {@link DenseSolver}) on realistic systems, all in one run so the
 * ratios are comparable: for n unknowns the shipped speech clip is analysed with a Hann window of
 * N = 2(n−1) and hop N/4, integrated with oracle derivatives and the ls-heuristic weights, and the
 * systems of {@value #SYSTEMS} frames spread over the clip are solved by each solver in turn.
 *
 * <p>Method: sizes in ascending order; per size and solver a warm-up, then repeated rounds over the
 * systems until a time budget is spent (at least one round; the dense solver at n &gt; 2000 runs
 * one round over only 2 or 1 of the systems, which the "dense runs" column reports). Reported: time
 * per solve in the median round (robust to preemption on a shared machine), the ratios to the tridiagonal solver, the mean CG iteration count, and the largest
 * relative difference of the tridiagonal and CG solutions from the dense one (a correctness check
 * that also keeps the JIT from discarding the work). Single-threaded; the dense solver needs
 * 16·n² bytes of heap (270 MB at n = 4097).
 */
public final class SolverBench {
    /** Unknowns per system (N/2 + 1 for N = 512 … 8192). */
    public static final int[] DEFAULT_SIZES = {257, 513, 1025, 2049, 4097};
    /** Frames (systems) per size. */
    public static final int SYSTEMS = 8;

    private static final String CLIP = "/dev/phasegrad/clips/auth-incorrect.wav";

    /** One row of the table: times in microseconds per solve. */
    public record Row(
            int n,
            double tridiagonalMicros,
            double cgMicros,
            double denseMicros,
            double cgIterations,
            int triSolves,
            int cgSolves,
            int denseSolves,
            double triVsDense,
            double cgVsDense) {
        public double denseOverTridiagonal() {
            return denseMicros / tridiagonalMicros;
        }

        public double cgOverTridiagonal() {
            return cgMicros / tridiagonalMicros;
        }
    }

    private SolverBench() {}

    /** Runs the default sizes and prints the table (and one progress line per size) to {@code out}. */
    public static List<Row> runAndPrint(PrintStream out) {
        List<Row> rows = run(DEFAULT_SIZES, 1.0, out);
        out.print(table(rows));
        return rows;
    }

    /**
     * @param sizes         unknowns per system, each n ≥ 3 with 2(n−1) divisible by 4
     * @param budgetSeconds measuring time per solver and size (warm-up gets half of it; the dense
     *                      solver at least one round whatever it costs)
     * @param progress      receives one line per finished size; may be null
     */
    public static List<Row> run(int[] sizes, double budgetSeconds, PrintStream progress) {
        float[] signal = readClip();
        List<Row> rows = new ArrayList<>();
        for (int n : sizes) {
            List<LsSystems.FrameSystem> systems = LsSystems.fromSpeech(signal, n, SYSTEMS);
            Timing tri = time(new TridiagonalSolver(n), systems, budgetSeconds, 100000);
            ConjugateGradientSolver cgSolver = new ConjugateGradientSolver(n);
            Timing cg = time(cgSolver, systems, budgetSeconds, 100000);
            // dense at n = 2049 takes seconds and at 4097 about a minute per solve: one round over a
            // subset there (2 systems, then 1), enough for a mean time and the correctness column
            List<LsSystems.FrameSystem> denseSystems =
                    n > 3000 ? systems.subList(0, 1) : n > 2000 ? systems.subList(0, 2) : systems;
            Timing dense = time(new DenseSolver(n), denseSystems, budgetSeconds, n > 2000 ? 1 : 100000);
            Row row = new Row(
                    n,
                    tri.micros,
                    cg.micros,
                    dense.micros,
                    cg.iterations,
                    tri.solves,
                    cg.solves,
                    dense.solves,
                    maxRelDiff(tri.solutions, dense.solutions),
                    maxRelDiff(cg.solutions, dense.solutions));
            rows.add(row);
            if (progress != null) {
                progress.printf(
                        Locale.ROOT,
                        "n = %d: tridiagonal %.2f µs, cg %.1f µs, dense %.0f µs (%d solves)%n",
                        n,
                        row.tridiagonalMicros(),
                        row.cgMicros(),
                        row.denseMicros(),
                        row.denseSolves());
            }
        }
        return rows;
    }

    /** The rows as a fixed-width text table. */
    public static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                Locale.ROOT,
                "%6s %12s %10s %12s %12s %10s %8s %10s %10s %8s %10s %10s%n",
                "n",
                "tri µs",
                "tri ns/n",
                "cg µs",
                "dense µs",
                "dense/tri",
                "cg/tri",
                "cg iters",
                "dense runs",
                "tri runs",
                "tri−dense",
                "cg−dense"));
        for (Row r : rows) {
            sb.append(String.format(
                    Locale.ROOT,
                    "%6d %12.3f %10.2f %12.1f %12.0f %10.0f %8.0f %10.0f %10d %8d %10.1e %10.1e%n",
                    r.n(),
                    r.tridiagonalMicros(),
                    1000 * r.tridiagonalMicros() / r.n(),
                    r.cgMicros(),
                    r.denseMicros(),
                    r.denseOverTridiagonal(),
                    r.cgOverTridiagonal(),
                    r.cgIterations(),
                    r.denseSolves(),
                    r.triSolves(),
                    r.triVsDense(),
                    r.cgVsDense()));
        }
        return sb.toString();
    }

    private static final class Timing {
        double micros;
        double iterations;
        int solves;
        double[][][] solutions;
    }

    private static Timing time(
            HermitianTridiagonalSolver s, List<LsSystems.FrameSystem> systems, double budgetSeconds, int maxRounds) {
        int n = s.capacity();
        int count = systems.size();
        double[][][] x = new double[count][2][n];
        long budget = (long) (budgetSeconds * 1e9);
        // warm-up: half the budget; skipped when only one round is allowed (the dense solver at large n,
        // whose code the smaller sizes have already compiled)
        long start = System.nanoTime();
        while (maxRounds > 1 && System.nanoTime() - start < budget / 2) {
            round(s, systems, x);
        }
        long[] roundNanos = new long[Math.min(maxRounds, 1 << 20)];
        int rounds = 0;
        long iterations = 0;
        start = System.nanoTime();
        do {
            long r0 = System.nanoTime();
            iterations += round(s, systems, x);
            roundNanos[rounds++] = System.nanoTime() - r0;
        } while (System.nanoTime() - start < budget && rounds < roundNanos.length);
        // the median round: the machine is shared, and preemption only ever adds time
        long[] sorted = Arrays.copyOf(roundNanos, rounds);
        Arrays.sort(sorted);
        Timing t = new Timing();
        t.solves = rounds * count;
        t.micros = sorted[rounds / 2] / 1e3 / count;
        t.iterations = (double) iterations / t.solves;
        t.solutions = x;
        return t;
    }

    /** Solves every system once; returns the CG iterations used (0 for direct solvers). */
    private static long round(HermitianTridiagonalSolver s, List<LsSystems.FrameSystem> systems, double[][][] x) {
        long it = 0;
        for (int i = 0; i < systems.size(); i++) {
            LsSystems.FrameSystem sys = systems.get(i);
            s.solve(sys.unknowns(), sys.diag(), sys.eRe(), sys.eIm(), sys.bRe(), sys.bIm(), x[i][0], x[i][1]);
            if (s instanceof ConjugateGradientSolver cg) {
                it += cg.lastIterations();
            }
        }
        return it;
    }

    /** Over the systems both solved (the dense solver may have solved only the first few). */
    private static double maxRelDiff(double[][][] a, double[][][] ref) {
        double worst = 0;
        for (int i = 0; i < Math.min(a.length, ref.length); i++) {
            double num = 0;
            double den = 0;
            for (int j = 0; j < a[i][0].length; j++) {
                double dr = a[i][0][j] - ref[i][0][j];
                double di = a[i][1][j] - ref[i][1][j];
                num += dr * dr + di * di;
                den += ref[i][0][j] * ref[i][0][j] + ref[i][1][j] * ref[i][1][j];
            }
            worst = Math.max(worst, den > 0 ? Math.sqrt(num / den) : Math.sqrt(num));
        }
        return worst;
    }

    private static float[] readClip() {
        try {
            Audio a = Audio.readResource(CLIP);
            if (a.sampleRate() != 16000) {
                throw new IllegalStateException(CLIP + ": expected 16000 Hz, got " + a.sampleRate());
            }
            return a.samples();
        } catch (InputFileException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
