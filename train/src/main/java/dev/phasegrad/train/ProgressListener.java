package dev.phasegrad.train;

/** Receives training progress; called from the training thread. */
public interface ProgressListener {
    /** Within an epoch: examples done of total, running mean training loss. */
    default void progress(int epoch, int epochs, long done, long total, double runningLoss, double examplesPerSecond) {}

    /** After each epoch, with its summary line. */
    default void epoch(EpochStats stats) {}

    /** Free-text status (corpus loading, checkpoints, tuning). */
    default void message(String text) {}

    /** Summary of one epoch. Losses are magnitude-weighted −cos, in [−1, 1], sum of Δt and Δf parts. */
    final class EpochStats {
        public final int epoch;
        public final double trainLoss;
        public final double validationLoss;
        public final double validationCosDt;
        public final double validationCosDf;
        public final double seconds;
        public final double examplesPerSecond;
        public final String extra;

        public EpochStats(
                int epoch,
                double trainLoss,
                double validationLoss,
                double validationCosDt,
                double validationCosDf,
                double seconds,
                double examplesPerSecond,
                String extra) {
            this.epoch = epoch;
            this.trainLoss = trainLoss;
            this.validationLoss = validationLoss;
            this.validationCosDt = validationCosDt;
            this.validationCosDf = validationCosDf;
            this.seconds = seconds;
            this.examplesPerSecond = examplesPerSecond;
            this.extra = extra;
        }

        @Override
        public String toString() {
            // NaN cosines: a model without phase heads (mel refiner), whose loss says it all
            String cos = Double.isNaN(validationCosDt)
                    ? ""
                    : String.format(" (weighted cos Δt %.4f, Δf %.4f)", validationCosDt, validationCosDf);
            return String.format(
                    "epoch %d: train loss %.4f, validation loss %.4f%s%s, %.0f s, %.0f examples/s",
                    epoch,
                    trainLoss,
                    validationLoss,
                    cos,
                    extra.isEmpty() ? "" : ", " + extra,
                    seconds,
                    examplesPerSecond);
        }
    }
}
