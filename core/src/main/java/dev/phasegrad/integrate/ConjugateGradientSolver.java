package dev.phasegrad.integrate;

import java.util.Arrays;

/**
 * Iterative middle point between the O(n) and O(n³) solvers: conjugate gradients with a Jacobi
 * (diagonal) preconditioner on the Hermitian system, each iteration one O(n) tridiagonal product.
 * The iteration count grows with the square root of the condition number, which for LS phase
 * integration systems (weak time anchors against strong frequency chains) is large, so this is a
 * benchmark and cross-check, not the production path.
 *
 * <p>Stops when the recursive residual satisfies ‖r‖ ≤ tolerance·‖b‖; if that has not happened after
 * maxIterationsPerUnknown·n iterations it throws rather than return an unconverged answer. The
 * default tolerance, 1e-24, is far below what the true residual can reach in double precision on
 * purpose: on these ill-conditioned systems the forward error is about κ times the residual, and
 * the recursive residual keeps falling (with the error) long after the true one has stagnated.
 * Measured on speech frames, a 1e-13 tolerance left errors up to 7e-4 against the direct solve,
 * 1e-20 up to 1e-7 and 1e-24 about 3e-11 (at 2–4·n iterations). Indefiniteness is reported only
 * if an iteration happens to expose it.
 * Not thread safe; allocation-free after construction.
 */
public final class ConjugateGradientSolver implements HermitianTridiagonalSolver {
    private final int capacity;
    private final double tolerance;
    private final int maxIterationsPerUnknown;
    private final double[] rRe;
    private final double[] rIm;
    private final double[] zRe;
    private final double[] zIm;
    private final double[] pRe;
    private final double[] pIm;
    private final double[] qRe;
    private final double[] qIm;
    private int lastIterations;

    /** Tolerance 1e-24 relative (see the class comment), at most 20·n iterations. */
    public ConjugateGradientSolver(int capacity) {
        this(capacity, 1e-24, 20);
    }

    /**
     * @param tolerance               relative residual at which to stop, in (0, 1)
     * @param maxIterationsPerUnknown iteration budget per unknown (the limit is this times n)
     */
    public ConjugateGradientSolver(int capacity, double tolerance, int maxIterationsPerUnknown) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        if (!(tolerance > 0 && tolerance < 1)) {
            throw new IllegalArgumentException("tolerance must be in (0, 1), got " + tolerance);
        }
        if (maxIterationsPerUnknown < 1) {
            throw new IllegalArgumentException("iterations per unknown must be >= 1, got " + maxIterationsPerUnknown);
        }
        this.capacity = capacity;
        this.tolerance = tolerance;
        this.maxIterationsPerUnknown = maxIterationsPerUnknown;
        rRe = new double[capacity];
        rIm = new double[capacity];
        zRe = new double[capacity];
        zIm = new double[capacity];
        pRe = new double[capacity];
        pIm = new double[capacity];
        qRe = new double[capacity];
        qIm = new double[capacity];
    }

    @Override
    public String name() {
        return "cg";
    }

    @Override
    public int capacity() {
        return capacity;
    }

    /** Iterations used by the last {@link #solve}. */
    public int lastIterations() {
        return lastIterations;
    }

    @Override
    public void solve(
            int n, double[] diag, double[] eRe, double[] eIm, double[] bRe, double[] bIm, double[] xRe, double[] xIm) {
        HermitianTridiagonalSolver.checkOrder(n, capacity);
        double bb = 0;
        for (int j = 0; j < n; j++) {
            if (!(diag[j] > 0) || diag[j] == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException(
                        "matrix is not positive definite (or not finite): diagonal " + diag[j] + " at row " + j);
            }
            rRe[j] = bRe[j];
            rIm[j] = bIm[j];
            bb += bRe[j] * bRe[j] + bIm[j] * bIm[j];
        }
        // x0 = 0; written after b has been read into r, so x may alias b
        Arrays.fill(xRe, 0, n, 0.0);
        Arrays.fill(xIm, 0, n, 0.0);
        lastIterations = 0;
        if (bb == 0) {
            return;
        }
        double stop = tolerance * tolerance * bb;
        double rz = 0;
        for (int j = 0; j < n; j++) {
            double inv = 1.0 / diag[j];
            zRe[j] = rRe[j] * inv;
            zIm[j] = rIm[j] * inv;
            pRe[j] = zRe[j];
            pIm[j] = zIm[j];
            rz += rRe[j] * zRe[j] + rIm[j] * zIm[j];
        }
        int limit = maxIterationsPerUnknown * n;
        for (int it = 1; it <= limit; it++) {
            HermitianTridiagonalSolver.multiply(n, diag, eRe, eIm, pRe, pIm, qRe, qIm);
            double pq = 0;
            for (int j = 0; j < n; j++) {
                pq += pRe[j] * qRe[j] + pIm[j] * qIm[j];
            }
            if (!(pq > 0)) {
                throw new IllegalArgumentException(
                        "matrix is not positive definite: pᴴAp = " + pq + " at iteration " + it);
            }
            double alpha = rz / pq;
            double rr = 0;
            for (int j = 0; j < n; j++) {
                xRe[j] += alpha * pRe[j];
                xIm[j] += alpha * pIm[j];
                rRe[j] -= alpha * qRe[j];
                rIm[j] -= alpha * qIm[j];
                rr += rRe[j] * rRe[j] + rIm[j] * rIm[j];
            }
            if (rr <= stop) {
                lastIterations = it;
                return;
            }
            double rzNew = 0;
            for (int j = 0; j < n; j++) {
                double inv = 1.0 / diag[j];
                zRe[j] = rRe[j] * inv;
                zIm[j] = rIm[j] * inv;
                rzNew += rRe[j] * zRe[j] + rIm[j] * zIm[j];
            }
            double beta = rzNew / rz;
            rz = rzNew;
            for (int j = 0; j < n; j++) {
                pRe[j] = zRe[j] + beta * pRe[j];
                pIm[j] = zIm[j] + beta * pIm[j];
            }
        }
        throw new IllegalStateException("conjugate gradients did not reach relative residual " + tolerance + " in "
                + limit + " iterations (order " + n + ")");
    }
}
