package dev.phasegrad.train;

import dev.phasegrad.stft.StftConfig;

import java.nio.file.Path;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/**
 * Command-line entry for training without the CLI module:
 * {@code java -cp … dev.phasegrad.train.TrainMain --kind proposed --fft 1024 --hop 256 --out DIR
 * [--train DIR[,DIR…]] [--validation DIR] [--examples N] [--val-examples N] [--epochs N] [--batch N] [--lr X]
 * [--seed N] [--threads N] [--channels N] [--max-minutes X] [--recon-files N] [--resume]}.
 */
public final class TrainMain {
    private TrainMain() {
    }

    public static void main(String[] args) throws Exception {
        TrainConfig c = parse(args);
        c.integrator = Tune.ls(c.kind);
        System.out.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " config: " + c);
        Trainer.Result r = Trainer.run(c, new ProgressListener() {
            @Override
            public void progress(int epoch, int epochs, long done, long total, double loss, double eps) {
                System.out.printf("%s epoch %d/%d  %6.1f%%  loss %.4f  %.0f ex/s%n",
                        LocalTime.now().truncatedTo(ChronoUnit.SECONDS), epoch, epochs, 100.0 * done / total, loss, eps);
            }

            @Override
            public void epoch(EpochStats s) {
                System.out.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " " + s);
            }

            @Override
            public void message(String text) {
                System.out.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " " + text);
            }
        });
        System.out.println("best model: " + r.bestFile + "\n" + r.best.describe());
    }

    static TrainConfig parse(String[] args) {
        TrainConfig c = new TrainConfig();
        int fft = c.stft.fftSize();
        int hop = c.stft.hop();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--resume")) {
                c.resume = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--kind": c.kind = v; break;
                case "--fft": fft = Integer.parseInt(v); break;
                case "--hop": hop = Integer.parseInt(v); break;
                case "--out": c.outDir = Path.of(v); break;
                case "--train":
                    c.trainDirs = java.util.Arrays.stream(v.split(",")).map(Path::of)
                            .collect(java.util.stream.Collectors.toList());
                    break;
                case "--validation": c.validationDir = Path.of(v); break;
                case "--examples": c.examples = Long.parseLong(v); break;
                case "--val-examples": c.validationExamples = Long.parseLong(v); break;
                case "--epochs": c.epochs = Integer.parseInt(v); break;
                case "--batch": c.batch = Integer.parseInt(v); break;
                case "--lr": c.learningRate = Double.parseDouble(v); break;
                case "--seed": c.seed = Long.parseLong(v); break;
                case "--threads": c.threads = Integer.parseInt(v); break;
                case "--channels": c.channels = Integer.parseInt(v); break;
                case "--max-minutes": c.maxMinutes = Double.parseDouble(v); break;
                case "--recon-files": c.reconstructionFiles = Integer.parseInt(v); break;
                default: throw new IllegalArgumentException("unknown option " + a);
            }
        }
        c.stft = StftConfig.hann(fft, hop);
        return c;
    }
}
