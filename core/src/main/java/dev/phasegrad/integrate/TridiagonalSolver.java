package dev.phasegrad.integrate;

/**
 * O(n) solver: LDLᴴ factorisation without pivoting (the complex Hermitian form of the Thomas
 * algorithm), A = L·D·Lᴴ with L unit lower bidiagonal and D real positive.
 *
 * <p>No pivoting is needed because A is Hermitian positive definite: every pivot
 * {@code D(j) = A(j,j) − |A(j,j−1)|² / D(j−1)} is then a ratio of leading principal minors and
 * stays positive. For the diagonally dominant systems of {@link LsIntegrator} the multipliers are
 * also bounded by one, so the factorisation is backward stable.
 *
 * <p>Double precision, work arrays owned by the instance; not thread safe; allocation-free.
 */
public final class TridiagonalSolver implements HermitianTridiagonalSolver {
    private final int capacity;
    private final double[] invPivot;
    private final double[] lRe;
    private final double[] lIm;

    public TridiagonalSolver(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        this.capacity = capacity;
        this.invPivot = new double[capacity];
        this.lRe = new double[capacity];
        this.lIm = new double[capacity];
    }

    @Override
    public String name() {
        return "tridiagonal";
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public void solve(
            int n, double[] diag, double[] eRe, double[] eIm, double[] bRe, double[] bIm, double[] xRe, double[] xIm) {
        HermitianTridiagonalSolver.checkOrder(n, capacity);
        double p = diag[0];
        checkPivot(p, 0);
        // forward sweep: factorise and solve L·y = b together, y stored in x. The pivot recurrence is
        // the critical path, so it carries one division per row and the reciprocals are kept for
        // the back substitution.
        double yr = bRe[0];
        double yi = bIm[0];
        xRe[0] = yr;
        xIm[0] = yi;
        for (int j = 0; j < n - 1; j++) {
            double inv = 1.0 / p;
            invPivot[j] = inv;
            double er = eRe[j];
            double ei = eIm[j];
            double lr = er * inv;
            double li = ei * inv;
            lRe[j] = lr;
            lIm[j] = li;
            double e2 = er * er + ei * ei;
            // |e|² below the normal range has lost bits (weights under ~1e-154, bins some 400 dB under the
            // frame's peak, as weights go as m^(2p+2)), and that rounded square over an equally small pivot
            // made positive definite systems look indefinite; e·(e/p), the same value, keeps its precision
            p = diag[j + 1] - (e2 >= Double.MIN_NORMAL ? e2 * inv : er * lr + ei * li);
            checkPivot(p, j + 1);
            double nr = bRe[j + 1] - (lr * yr - li * yi);
            double ni = bIm[j + 1] - (lr * yi + li * yr);
            yr = nr;
            yi = ni;
            xRe[j + 1] = yr;
            xIm[j + 1] = yi;
        }
        // back substitution: Lᴴ·x = D⁻¹·y
        double inv = 1.0 / p;
        double zr = xRe[n - 1] * inv;
        double zi = xIm[n - 1] * inv;
        xRe[n - 1] = zr;
        xIm[n - 1] = zi;
        for (int j = n - 2; j >= 0; j--) {
            double lr = lRe[j];
            double li = lIm[j];
            double ip = invPivot[j];
            double nr = xRe[j] * ip - (lr * zr + li * zi);
            double ni = xIm[j] * ip - (lr * zi - li * zr);
            zr = nr;
            zi = ni;
            xRe[j] = zr;
            xIm[j] = zi;
        }
    }

    private static void checkPivot(double p, int row) {
        if (!(p > 0) || p == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException(
                    "matrix is not positive definite (or not finite): pivot " + p + " at row " + row);
        }
    }
}
