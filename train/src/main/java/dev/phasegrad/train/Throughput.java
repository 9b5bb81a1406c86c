package dev.phasegrad.train;

import dev.phasegrad.nn.PhaseModel;
import dev.phasegrad.nn.runtime.ModelRunner;
import dev.phasegrad.nn.runtime.NetworkDerivatives;
import dev.phasegrad.stft.Stft;
import dev.phasegrad.stft.StftConfig;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Measures inference time per frame and training throughput (examples per second) of a model
 * family on synthetic input, to size the training subsample. Usage:
 * {@code Throughput [kind] [fft] [hop] [threads] [seconds]}.
 */
public final class Throughput {
    private Throughput() {}

    public static void main(String[] args) throws Exception {
        String kind = args.length > 0 ? args[0] : Architectures.PROPOSED;
        StftConfig cfg = StftConfig.hann(
                args.length > 1 ? Integer.parseInt(args[1]) : 1024, args.length > 2 ? Integer.parseInt(args[2]) : 256);
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        double seconds = args.length > 4 ? Double.parseDouble(args[4]) : 10;
        PhaseModel m = Architectures.create(kind, cfg, Architectures.defaultChannels(kind), 1);
        System.out.println(m.describe());
        // synthetic "speech": noise through a random resonant filter
        SplittableRandom r = new SplittableRandom(2);
        float[] sig = new float[cfg.sampleRate() * 20];
        double y1 = 0;
        double y2 = 0;
        for (int i = 0; i < sig.length; i++) {
            double x = r.nextDouble() - 0.5 + 0.3 * Math.sin(2 * Math.PI * 150 * i / cfg.sampleRate());
            double y = x + 1.6 * y1 - 0.8 * y2;
            y2 = y1;
            y1 = y;
            sig[i] = (float) (0.05 * y);
        }
        float[][] mag = Stft.magnitude(sig, cfg);
        NetworkDerivatives nd = new NetworkDerivatives(m);
        int bins = cfg.bins();
        float[] dt = new float[bins];
        float[] df = new float[bins - 1];
        float[] om = new float[bins];
        long t0 = System.nanoTime();
        long frames = 0;
        while (System.nanoTime() - t0 < seconds * 1e9 / 2) {
            for (float[] f : mag) {
                nd.push(f, dt, df, om);
                frames++;
            }
        }
        double us = (System.nanoTime() - t0) / 1e3 / frames;
        System.out.printf(
                "inference: %.1f µs/frame (%.2f GMAC/s, %.2f M MAC/frame)%n",
                us, m.macsPerFrame() / us / 1e3, m.macsPerFrame() / 1e6);
        ModelRunner runner = new ModelRunner(m);
        float[][] in = new float[m.inputFrames()][bins];
        for (float[] row : in) {
            for (int k = 0; k < bins; k++) {
                row[k] = (float) r.nextGaussian();
            }
        }
        List<Example> ex = Corpus.examples("synthetic", sig, m, 0.5, new SplittableRandom(3));
        {
            Workspace w = new Workspace(m);
            float[] p = m.params();
            float[] g = new float[p.length];
            Example e0 = ex.get(0);
            for (int pass = 0; pass < 2; pass++) {
                long a = System.nanoTime();
                int k = 0;
                while (System.nanoTime() - a < seconds * 1e9 / 8) {
                    w.step(p, in, e0, 1e-3f, 1e-3f, null);
                    k++;
                }
                double fwd = (System.nanoTime() - a) / 1e3 / k;
                a = System.nanoTime();
                k = 0;
                while (System.nanoTime() - a < seconds * 1e9 / 8) {
                    w.step(p, in, e0, 1e-3f, 1e-3f, g);
                    k++;
                }
                double both = (System.nanoTime() - a) / 1e3 / k;
                System.out.printf(
                        "one thread: forward+loss %.0f µs, forward+backward %.0f µs per example%n", fwd, both);
            }
        }
        TrainConfig c = new TrainConfig()
                .threads(threads)
                .epochs(1)
                .examples(ex.size())
                .outDir(Files.createTempDirectory("phasegrad-throughput"));
        List<Example> val = new ArrayList<>(ex.subList(0, Math.min(50, ex.size())));
        int n = (int) Math.min(ex.size(), Math.max(200, seconds * 100));
        long t1 = System.nanoTime();
        Trainer.run(c, m, ex.subList(0, n), val, new ProgressListener() {});
        double s = (System.nanoTime() - t1) / 1e9;
        System.out.printf("training: %d examples in %.1f s = %.0f examples/s with %d threads%n", n, s, n / s, threads);
    }
}
