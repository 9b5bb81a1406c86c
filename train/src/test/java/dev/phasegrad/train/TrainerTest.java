package dev.phasegrad.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.phasegrad.nn.PhaseModel;
import dev.phasegrad.stft.StftConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training loop on a tiny STFT and synthetic harmonic "voices". */
class TrainerTest {
    private static final StftConfig CFG = StftConfig.hann(64, 16);

    static float[] voice(long seed, int length) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[length];
        double f0 = 180 + 200 * r.nextDouble();
        double phase = 0;
        for (int i = 0; i < length; i++) {
            double f = f0 * (1 + 0.1 * Math.sin(2 * Math.PI * i / 4000.0));
            phase += 2 * Math.PI * f / 16000;
            double env = 0.5 + 0.5 * Math.sin(2 * Math.PI * i / 2500.0 + seed);
            double s = 0;
            for (int h = 1; h <= 6; h++) {
                s += Math.sin(h * phase) / h;
            }
            x[i] = (float) (0.2 * env * s + 0.002 * (r.nextDouble() - 0.5));
        }
        return x;
    }

    private static List<Example> examples(PhaseModel arch, long seed0, int files) {
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            out.addAll(Corpus.examples("v" + i, voice(seed0 + i, 8000), arch, 0.5, new SplittableRandom(i)));
        }
        return out;
    }

    private static TrainConfig config(Path out, int epochs) {
        TrainConfig c = new TrainConfig()
                .stft(CFG)
                .channels(4)
                .epochs(epochs)
                .batch(8)
                .learningRate(1e-2)
                .seed(3)
                .threads(2)
                .outDir(out);
        c.warmupSteps = 5;
        return c;
    }

    @Test
    void trainingLowersValidationLossAndWritesLoadableModels(@TempDir Path dir) throws IOException {
        TrainConfig c = config(dir, 4);
        PhaseModel arch = Trainer.initialModel(c);
        List<Example> train = examples(arch, 10, 6);
        List<Example> val = examples(arch, 100, 2);
        Trainer.Result r = Trainer.run(c, arch, train, val, new ProgressListener() {});
        assertThat(r.history).hasSize(4);
        double first = r.history.get(0).validationLoss;
        double last = r.history.get(3).validationLoss;
        assertThat(last).isLessThan(first - 0.05);
        PhaseModel best = PhaseModel.read(dir.resolve("best.pgnn"));
        assertThat(best.paramCount()).isEqualTo(arch.paramCount());
        assertThat(Files.readAllLines(dir.resolve("history.tsv"))).hasSize(5);
    }

    @Test
    void sameSeedGivesSameWeightsWithOneOrTwoThreadsAndResumeContinuesExactly(@TempDir Path dir) throws IOException {
        TrainConfig a = config(dir.resolve("a"), 2);
        PhaseModel arch = Trainer.initialModel(a);
        List<Example> train = examples(arch, 10, 3);
        List<Example> val = examples(arch, 100, 1);
        Trainer.run(a, arch, train, val, new ProgressListener() {});
        PhaseModel lastA = PhaseModel.read(dir.resolve("a/last.pgnn"));

        TrainConfig b = config(dir.resolve("b"), 2).threads(1);
        Trainer.run(b, Trainer.initialModel(b), train, val, new ProgressListener() {});
        assertThat(PhaseModel.read(dir.resolve("b/last.pgnn")).params()).containsExactly(lastA.params());

        // stop after epoch 1 of a 2-epoch plan (same LR schedule), then resume for epoch 2
        TrainConfig d1 = config(dir.resolve("d"), 2);
        d1.maxMinutes = 1e-9;
        Trainer.run(d1, Trainer.initialModel(d1), train, val, new ProgressListener() {});
        TrainConfig d2 = config(dir.resolve("d"), 2).resume(true);
        Trainer.run(d2, Trainer.initialModel(d2), train, val, new ProgressListener() {});
        assertThat(PhaseModel.read(dir.resolve("d/last.pgnn")).params()).containsExactly(lastA.params());
    }

    @Test
    void oneRunPerFolderAndResumeRefusesOtherSettings(@TempDir Path dir) throws IOException {
        TrainConfig first = config(dir, 1);
        PhaseModel arch = Trainer.initialModel(first);
        List<Example> train = examples(arch, 10, 3);
        List<Example> val = examples(arch, 100, 1);
        ProgressListener quiet = new ProgressListener() {};
        Trainer.run(first, arch, train, val, quiet);
        byte[] checkpoint = Files.readAllBytes(dir.resolve("checkpoint.bin"));

        TrainConfig again = config(dir, 1).seed(5);
        assertThatThrownBy(() -> Trainer.run(again, Trainer.initialModel(again), train, val, quiet))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already holds a run")
                .hasMessageContaining("--resume");
        TrainConfig otherBatch = config(dir, 2).batch(4).resume(true);
        assertThatThrownBy(() -> Trainer.run(otherBatch, Trainer.initialModel(otherBatch), train, val, quiet))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--batch 8 (now 4)")
                .hasMessageContaining("new --out folder");
        TrainConfig otherLr = config(dir, 2).learningRate(5e-3).seed(4).resume(true);
        assertThatThrownBy(() -> Trainer.run(otherLr, Trainer.initialModel(otherLr), train, val, quiet))
                .hasMessageContaining("--lr 0.01 (now 0.005)")
                .hasMessageContaining("--seed 3 (now 4)");
        assertThat(Files.readAllBytes(dir.resolve("checkpoint.bin"))).isEqualTo(checkpoint);

        // more epochs are allowed; the message says where the run lands on the longer schedule
        List<String> said = new ArrayList<>();
        ProgressListener recording = new ProgressListener() {
            @Override
            public void message(String text) {
                said.add(text);
            }
        };
        TrainConfig longer = config(dir, 3).resume(true);
        Trainer.run(longer, Trainer.initialModel(longer), train, val, recording);
        int steps = (train.size() + 7) / 8;
        assertThat(said).anyMatch(m -> m.startsWith("continuing at step " + steps + " of a " + 3 * steps + "-step"));
        assertThat(Files.readAllLines(dir.resolve("history.tsv"))).hasSize(4); // header + epochs 1-3

        // a folder from before settings were recorded: nothing to check, recorded from then on
        Files.delete(dir.resolve(RunSettings.FILE));
        said.clear();
        TrainConfig older = config(dir, 4).batch(4).resume(true);
        Trainer.run(older, Trainer.initialModel(older), train, val, recording);
        assertThat(said).anyMatch(m -> m.contains("had no settings.tsv"));
        assertThat(Files.readString(dir.resolve(RunSettings.FILE))).contains("--batch\t4");

        // --resume on a folder without a checkpoint starts a new run, whatever the settings
        said.clear();
        TrainConfig fresh = config(dir.resolve("new"), 1).batch(4).resume(true);
        Trainer.run(fresh, Trainer.initialModel(fresh), train, val, recording);
        assertThat(said).anyMatch(m -> m.startsWith("no checkpoint in"));
    }

    @Test
    void wavCorpusLoadsWithSeededSampling(@TempDir Path dir) throws IOException {
        for (int i = 0; i < 3; i++) {
            writeWav(dir.resolve("pkg/f" + i + ".wav"), voice(i, 8000), 16000);
        }
        PhaseModel arch = Trainer.initialModel(config(dir, 1));
        List<Path> files = Corpus.wavFiles(dir);
        assertThat(files).hasSize(3);
        Corpus.Dataset a = Corpus.load(files, arch, 100, 5, 2, s -> {});
        Corpus.Dataset b = Corpus.load(files, arch, 100, 5, 1, s -> {});
        assertThat(a.examples).isNotEmpty();
        assertThat(a.examples).hasSameSizeAs(b.examples);
        for (int i = 0; i < a.examples.size(); i++) {
            assertThat(a.examples.get(i).newest).isEqualTo(b.examples.get(i).newest);
        }
        writeWav(dir.resolve("pkg/rate.wav"), voice(9, 800), 8000);
        assertThatThrownBy(() -> Corpus.load(Corpus.wavFiles(dir), arch, 100, 5, 1, s -> {}))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("8000 Hz");
    }

    static void writeWav(Path p, float[] x, int rate) throws IOException {
        Files.createDirectories(p.getParent());
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * x.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x46464952)
                .putInt(36 + 2 * x.length)
                .putInt(0x45564157)
                .putInt(0x20746d66)
                .putInt(16)
                .putShort((short) 1)
                .putShort((short) 1)
                .putInt(rate)
                .putInt(rate * 2)
                .putShort((short) 2)
                .putShort((short) 16)
                .putInt(0x61746164)
                .putInt(2 * x.length);
        for (float v : x) {
            b.putShort((short) Math.max(-32768, Math.min(32767, Math.round(v * 32768))));
        }
        Files.write(p, b.array());
    }
}
