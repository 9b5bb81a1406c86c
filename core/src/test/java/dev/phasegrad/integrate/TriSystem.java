package dev.phasegrad.integrate;

import dev.phasegrad.stft.StftConfig;
import dev.phasegrad.testing.TestAudio;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A Hermitian tridiagonal system in solver storage, with generators for tests. */
public record TriSystem(int n, double[] diag, double[] eRe, double[] eIm, double[] bRe, double[] bIm) {

    /**
     * A random HPD tridiagonal matrix that is not diagonally dominant in general: A = L·D·Lᴴ with
     * random positive D (spread over {@code decades} decades) and random multipliers, which gives
     * a tridiagonal A by construction.
     */
    public static TriSystem randomHpd(int n, Random r, double decades) {
        double[] d = new double[n];
        double[] lr = new double[n];
        double[] li = new double[n];
        for (int j = 0; j < n; j++) {
            d[j] = Math.pow(10, decades * r.nextDouble());
            // multipliers in the disc of radius 0.95 keep ‖L⁻¹‖ polynomial in n (Gaussian ones make
            // the condition number grow exponentially with n, beyond what any double solve can resolve)
            double rad = 0.95 * Math.sqrt(r.nextDouble());
            double ang = 2 * Math.PI * r.nextDouble();
            lr[j] = rad * Math.cos(ang);
            li[j] = rad * Math.sin(ang);
        }
        double[] diag = new double[n];
        double[] eRe = new double[n];
        double[] eIm = new double[n];
        for (int j = 0; j < n; j++) {
            // A(j,j) = D_j + |l_{j−1}|² D_{j−1};  A(j+1,j) = l_j D_j
            diag[j] = d[j] + (j > 0 ? (lr[j - 1] * lr[j - 1] + li[j - 1] * li[j - 1]) * d[j - 1] : 0);
            if (j + 1 < n) {
                eRe[j] = lr[j] * d[j];
                eIm[j] = li[j] * d[j];
            }
        }
        return new TriSystem(n, diag, eRe, eIm, gaussian(n, r), gaussian(n, r));
    }

    private static double[] gaussian(int n, Random r) {
        double[] v = new double[n];
        for (int j = 0; j < n; j++) {
            v[j] = r.nextGaussian();
        }
        return v;
    }

    /**
     * The LS systems of {@code count} frames of the shipped clip, spread evenly over it (speech
     * and pauses alike), built with oracle derivatives and the given weights.
     */
    public static List<TriSystem> speechFrames(StftConfig c, LsParams params, int count) {
        float[] signal = TestAudio.clip(c.sampleRate());
        List<TriSystem> out = new ArrayList<>();
        for (LsSystems.FrameSystem f : LsSystems.frames(signal, c, params, 0, Integer.MAX_VALUE, count)) {
            out.add(new TriSystem(f.unknowns(), f.diag(), f.eRe(), f.eIm(), f.bRe(), f.bIm()));
        }
        return out;
    }

    public double residual(double[] xRe, double[] xIm) {
        return HermitianTridiagonalSolver.relativeResidual(n, diag, eRe, eIm, bRe, bIm, xRe, xIm);
    }

    /** Normwise backward error ‖b − Ax‖∞ / (‖A‖∞‖x‖∞ + ‖b‖∞) (Rigal–Gaches): what a stable solver bounds. */
    public double backwardError(double[] xRe, double[] xIm) {
        double[] yr = new double[n];
        double[] yi = new double[n];
        HermitianTridiagonalSolver.multiply(n, diag, eRe, eIm, xRe, xIm, yr, yi);
        double rn = 0;
        double an = 0;
        double xn = 0;
        double bn = 0;
        for (int j = 0; j < n; j++) {
            rn = Math.max(rn, Math.hypot(bRe[j] - yr[j], bIm[j] - yi[j]));
            double row = Math.abs(diag[j])
                    + (j > 0 ? Math.hypot(eRe[j - 1], eIm[j - 1]) : 0)
                    + (j + 1 < n ? Math.hypot(eRe[j], eIm[j]) : 0);
            an = Math.max(an, row);
            xn = Math.max(xn, Math.hypot(xRe[j], xIm[j]));
            bn = Math.max(bn, Math.hypot(bRe[j], bIm[j]));
        }
        return rn / (an * xn + bn);
    }

    /** ‖x − y‖ / ‖y‖. */
    public static double relativeDifference(double[] xRe, double[] xIm, double[] yRe, double[] yIm) {
        double num = 0;
        double den = 0;
        for (int j = 0; j < xRe.length; j++) {
            double dr = xRe[j] - yRe[j];
            double di = xIm[j] - yIm[j];
            num += dr * dr + di * di;
            den += yRe[j] * yRe[j] + yIm[j] * yIm[j];
        }
        return den > 0 ? Math.sqrt(num / den) : Math.sqrt(num);
    }
}
