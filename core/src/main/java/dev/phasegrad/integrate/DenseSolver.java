package dev.phasegrad.integrate;

import java.util.Arrays;

/**
 * O(n³) reference: expands the tridiagonal system into a dense complex matrix and solves it by
 * complex Cholesky factorisation (A = L·Lᴴ) and two triangular solves. It knows nothing of the
 * band structure on purpose: it is the baseline that the tridiagonal solver is checked and timed
 * against.
 *
 * <p>Memory: 16·capacity² bytes, allocated once in the constructor (268 MB at capacity 4097).
 * Not thread safe; allocation-free after construction.
 */
public final class DenseSolver implements HermitianTridiagonalSolver {
    /** Largest capacity whose interleaved complex matrix still fits in one Java array. */
    public static final int MAX_CAPACITY = 32767;

    private final int capacity;
    /** Lower triangle of A, then of L, row-major, complex interleaved (re, im). */
    private final double[] a;

    private final double[] yRe;
    private final double[] yIm;

    public DenseSolver(int capacity) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity must be in [1, " + MAX_CAPACITY + "], got " + capacity);
        }
        this.capacity = capacity;
        this.a = new double[2 * capacity * capacity];
        this.yRe = new double[capacity];
        this.yIm = new double[capacity];
    }

    @Override
    public String name() {
        return "dense";
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public void solve(
            int n, double[] diag, double[] eRe, double[] eIm, double[] bRe, double[] bIm, double[] xRe, double[] xIm) {
        HermitianTridiagonalSolver.checkOrder(n, capacity);
        expand(n, diag, eRe, eIm);
        factorise(n);
        System.arraycopy(bRe, 0, yRe, 0, n);
        System.arraycopy(bIm, 0, yIm, 0, n);
        // L·y = b
        for (int i = 0; i < n; i++) {
            int row = 2 * i * n;
            double sr = yRe[i];
            double si = yIm[i];
            for (int k = 0; k < i; k++) {
                double lr = a[row + 2 * k];
                double li = a[row + 2 * k + 1];
                sr -= lr * yRe[k] - li * yIm[k];
                si -= lr * yIm[k] + li * yRe[k];
            }
            double d = a[row + 2 * i];
            yRe[i] = sr / d;
            yIm[i] = si / d;
        }
        // Lᴴ·x = y, column-oriented so that row i of L is read contiguously
        for (int i = n - 1; i >= 0; i--) {
            int row = 2 * i * n;
            double d = a[row + 2 * i];
            double xr = yRe[i] / d;
            double xi = yIm[i] / d;
            xRe[i] = xr;
            xIm[i] = xi;
            for (int k = 0; k < i; k++) {
                double lr = a[row + 2 * k];
                double li = a[row + 2 * k + 1];
                // y_k −= conj(L(i,k))·x_i
                yRe[k] -= lr * xr + li * xi;
                yIm[k] -= lr * xi - li * xr;
            }
        }
    }

    private void expand(int n, double[] diag, double[] eRe, double[] eIm) {
        Arrays.fill(a, 0, 2 * n * n, 0.0);
        for (int j = 0; j < n; j++) {
            a[2 * (j * n + j)] = diag[j];
            if (j + 1 < n) {
                a[2 * ((j + 1) * n + j)] = eRe[j];
                a[2 * ((j + 1) * n + j) + 1] = eIm[j];
            }
        }
    }

    /** Left-looking Cholesky on the lower triangle, in place. */
    private void factorise(int n) {
        for (int j = 0; j < n; j++) {
            int rj = 2 * j * n;
            double s = a[rj + 2 * j];
            for (int k = 0; k < j; k++) {
                double lr = a[rj + 2 * k];
                double li = a[rj + 2 * k + 1];
                s -= lr * lr + li * li;
            }
            if (!(s > 0) || s == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException(
                        "matrix is not positive definite (or not finite): pivot " + s + " at row " + j);
            }
            double d = Math.sqrt(s);
            a[rj + 2 * j] = d;
            a[rj + 2 * j + 1] = 0;
            double inv = 1.0 / d;
            for (int i = j + 1; i < n; i++) {
                int ri = 2 * i * n;
                double zr = a[ri + 2 * j];
                double zi = a[ri + 2 * j + 1];
                for (int k = 0; k < j; k++) {
                    double pr = a[ri + 2 * k];
                    double pi = a[ri + 2 * k + 1];
                    double qr = a[rj + 2 * k];
                    double qi = a[rj + 2 * k + 1];
                    // L(i,k)·conj(L(j,k))
                    zr -= pr * qr + pi * qi;
                    zi -= pi * qr - pr * qi;
                }
                a[ri + 2 * j] = zr * inv;
                a[ri + 2 * j + 1] = zi * inv;
            }
        }
    }
}
