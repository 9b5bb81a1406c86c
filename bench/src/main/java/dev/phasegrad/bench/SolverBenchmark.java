package dev.phasegrad.bench;

import dev.phasegrad.derivatives.OracleDerivatives;
import dev.phasegrad.integrate.DenseSolver;
import dev.phasegrad.integrate.LsDefaults;
import dev.phasegrad.integrate.LsIntegrator;
import dev.phasegrad.integrate.LsParams;
import dev.phasegrad.integrate.LsWeights;
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
 * the one {@link LsIntegrator} builds for a voiced frame of the speech clip from oracle derivatives
 * and the oracle defaults, so its conditioning is the real one.
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
        StftConfig c = StftConfig.DEFAULT;
        int n = c.bins();
        SpeechClip clip = new SpeechClip(c);
        LsParams params = LsDefaults.forSource(c, "oracle");
        OracleDerivatives od = new OracleDerivatives(clip.truth());
        LsIntegrator integ = new LsIntegrator(c, params.delta());
        float[] dtF = new float[n];
        float[] dfF = new float[n - 1];
        float[] magF = new float[n];
        double[] mag = new double[n];
        double[] prev = new double[n];
        double[] dt = new double[n];
        double[] df = new double[n - 1];
        double[] lambda = new double[n];
        double[] gamma = new double[n - 1];
        double[] phase = new double[n];
        // integrate up to the loudest frame so the system carries the real previous phases
        int target = loudestFrame(clip);
        for (int t = 0; t <= target; t++) {
            od.push(clip.magnitude(t), dtF, dfF, magF);
            for (int k = 0; k < n; k++) {
                mag[k] = magF[k];
                dt[k] = dtF[k];
                if (k + 1 < n) {
                    df[k] = dfF[k];
                }
            }
            LsWeights.compute(mag, prev, params, lambda, gamma);
            integ.integrate(mag, phase, dt, df, lambda, gamma, phase);
            System.arraycopy(mag, 0, prev, 0, n);
        }
        diag = new double[n];
        eRe = new double[n - 1];
        eIm = new double[n - 1];
        bRe = new double[n];
        bIm = new double[n];
        xRe = new double[n];
        xIm = new double[n];
        integ.copySystem(diag, eRe, eIm, bRe, bIm);
        tridiagonal = new TridiagonalSolver(n);
        dense = new DenseSolver(n);
    }

    private static int loudestFrame(SpeechClip clip) {
        int best = 0;
        double bestEnergy = -1;
        for (int t = 0; t < clip.frames(); t++) {
            double e = 0;
            for (float m : clip.magnitude(t)) {
                e += (double) m * m;
            }
            if (e > bestEnergy) {
                bestEnergy = e;
                best = t;
            }
        }
        return best;
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
