package dev.phasegrad.bench;

import dev.phasegrad.integrate.DenseSolver;
import dev.phasegrad.integrate.LsIntegrator;
import dev.phasegrad.integrate.LsSystems;
import dev.phasegrad.integrate.TridiagonalSolver;
import dev.phasegrad.stft.StftConfig;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One solve of the per-frame LS system at 513 unknowns (N = 1024): the O(n) LDLᴴ sweep of
 * {@link TridiagonalSolver} against the O(n³) dense Cholesky of {@link DenseSolver}. The system is
 * the one {@link LsIntegrator} builds for a voiced frame of the speech clip ({@link LsSystems}, the
 * systems {@code phasegrad bench solver} uses too), so its conditioning is the real one.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SolverBenchmark {
    static final int UNKNOWNS = 513;

    double[] diag;
    double[] eRe;
    double[] eIm;
    double[] bRe;
    double[] bIm;
    double[] xRe;
    double[] xIm;
    TridiagonalSolver tridiagonal;
    DenseSolver dense;

    @Setup
    public void setup() {
        // the loudest of the eight systems phasegrad bench solver uses at this size
        LsSystems.FrameSystem sys = null;
        double best = -1;
        for (LsSystems.FrameSystem s : LsSystems.fromSpeech(new SpeechClip(StftConfig.DEFAULT).signal(), UNKNOWNS, 8)) {
            double e = 0;
            for (int k = 0; k < UNKNOWNS; k++) {
                e += s.bRe()[k] * s.bRe()[k] + s.bIm()[k] * s.bIm()[k];
            }
            if (e > best) {
                best = e;
                sys = s;
            }
        }
        diag = sys.diag();
        eRe = sys.eRe();
        eIm = sys.eIm();
        bRe = sys.bRe();
        bIm = sys.bIm();
        xRe = new double[UNKNOWNS];
        xIm = new double[UNKNOWNS];
        tridiagonal = new TridiagonalSolver(UNKNOWNS);
        dense = new DenseSolver(UNKNOWNS);
    }

    /** Returns one solution entry so the work cannot be eliminated. */
    @Benchmark
    public double tridiagonal() {
        tridiagonal.solve(UNKNOWNS, diag, eRe, eIm, bRe, bIm, xRe, xIm);
        return xRe[UNKNOWNS / 2];
    }

    @Benchmark
    public double dense() {
        dense.solve(UNKNOWNS, diag, eRe, eIm, bRe, bIm, xRe, xIm);
        return xRe[UNKNOWNS / 2];
    }
}
