package dev.phasegrad.train;

import dev.phasegrad.audio.AtomicFiles;
import dev.phasegrad.nn.PhaseModel;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The files a training run keeps in its folder, written after every epoch: {@code checkpoint.bin}
 * (model, Adam state, epochs done, best validation loss: what {@code --resume} continues from),
 * {@code last.pgnn}, {@code best.pgnn} (the model of the lowest validation loss so far) and
 * {@code history.tsv} (one line per epoch). Each file is replaced atomically, so a run stopped at
 * any moment leaves the previous epoch's files whole.
 */
final class Checkpoints {
    private static final byte[] MAGIC = {'P', 'G', 'C', 'K'};
    private static final int VERSION = 1;

    private final Path checkpoint;
    private final Path best;
    private final Path last;
    private final Path history;

    /** What a checkpoint holds. */
    static final class State {
        final PhaseModel model;
        final Adam adam;
        final int epochsDone;
        final double bestLoss;

        State(PhaseModel model, Adam adam, int epochsDone, double bestLoss) {
            this.model = model;
            this.adam = adam;
            this.epochsDone = epochsDone;
            this.bestLoss = bestLoss;
        }
    }

    Checkpoints(Path runFolder) {
        checkpoint = runFolder.resolve(RunSettings.CHECKPOINT);
        best = runFolder.resolve("best.pgnn");
        last = runFolder.resolve("last.pgnn");
        history = runFolder.resolve("history.tsv");
    }

    Path checkpointFile() {
        return checkpoint;
    }

    Path bestFile() {
        return best;
    }

    boolean exist() {
        return Files.exists(checkpoint);
    }

    /** Starts {@code history.tsv} afresh with the header of a phase model's or a mel refiner's run. */
    void startHistory(boolean refiner) throws IOException {
        Files.writeString(
                history,
                refiner
                        ? "epoch\ttrain_loss\tval_loss\tval_score\tunused\tseconds\texamples_per_s\n"
                        : "epoch\ttrain_loss\tval_loss\tval_cos_dt\tval_cos_df\tseconds\texamples_per_s\n");
    }

    /**
     * Records a finished epoch: {@code last.pgnn}, {@code best.pgnn} when {@code isBest}, the
     * checkpoint, and the epoch's line of {@code history.tsv} ({@code validation}: the two scores of
     * the history's header).
     */
    void saveEpoch(
            PhaseModel model,
            Adam adam,
            ProgressListener.EpochStats stats,
            double[] validation,
            boolean isBest,
            double bestLoss)
            throws IOException {
        model.write(last);
        if (isBest) {
            model.write(best);
        }
        write(checkpoint, new State(model, adam, stats.epoch, bestLoss));
        Files.writeString(
                history,
                String.format(
                        "%d\t%.5f\t%.5f\t%.5f\t%.5f\t%.1f\t%.1f%n",
                        stats.epoch,
                        stats.trainLoss,
                        stats.validationLoss,
                        validation[0],
                        validation[1],
                        stats.seconds,
                        stats.examplesPerSecond),
                StandardOpenOption.APPEND,
                StandardOpenOption.CREATE);
    }

    /** The checkpoint of this folder. */
    State read() throws IOException {
        return read(checkpoint);
    }

    /** {@code best.pgnn}, or {@code fallback} when no epoch has written one. */
    PhaseModel best(PhaseModel fallback) throws IOException {
        return Files.exists(best) ? PhaseModel.read(best) : fallback;
    }

    static void write(Path file, State s) throws IOException {
        AtomicFiles.write(file, o -> {
            DataOutputStream d = new DataOutputStream(o);
            d.write(MAGIC);
            d.writeInt(VERSION);
            d.writeInt(s.epochsDone);
            d.writeDouble(s.bestLoss);
            d.writeLong(s.adam.step);
            byte[] m = s.model.toBytes();
            d.writeInt(m.length);
            d.write(m);
            d.writeInt(s.adam.m.length);
            for (int i = 0; i < s.adam.m.length; i++) {
                d.writeFloat(s.adam.m[i]);
                d.writeFloat(s.adam.v[i]);
            }
            d.flush();
        });
    }

    static State read(Path file) throws IOException {
        try (DataInputStream d = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            byte[] magic = d.readNBytes(4);
            if (!Arrays.equals(magic, MAGIC) || d.readInt() != VERSION) {
                throw new IOException(file + ": not a phasegrad training checkpoint (version " + VERSION + ")");
            }
            int epochs = d.readInt();
            double best = d.readDouble();
            long step = d.readLong();
            byte[] m = d.readNBytes(d.readInt());
            PhaseModel model = PhaseModel.read(new ByteArrayInputStream(m), file + " (model)");
            int n = d.readInt();
            if (n != model.paramCount()) {
                throw new IOException(file + ": optimiser state has " + n + " entries, model " + model.paramCount());
            }
            Adam adam = new Adam(n);
            adam.step = step;
            for (int i = 0; i < n; i++) {
                adam.m[i] = d.readFloat();
                adam.v[i] = d.readFloat();
            }
            return new State(model, adam, epochs, best);
        } catch (EOFException e) {
            throw new IOException(file + ": checkpoint is truncated", e);
        }
    }
}
