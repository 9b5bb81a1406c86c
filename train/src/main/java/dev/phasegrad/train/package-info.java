/**
 * Training of {@link dev.phasegrad.nn.PhaseModel}s: hand-written backward passes
 * ({@link dev.phasegrad.train.ConvGrad}, {@link dev.phasegrad.train.Workspace}), Adam, the corpus
 * pipeline ({@link dev.phasegrad.train.Corpus}), the deterministic multi-threaded loop with
 * checkpoints ({@link dev.phasegrad.train.Trainer}, configured by
 * {@link dev.phasegrad.train.TrainConfig}), and reconstruction scoring / LS-parameter tuning
 * ({@link dev.phasegrad.train.Evaluation}). {@link dev.phasegrad.train.TrainMain} is a plain
 * command-line entry point.
 */
package dev.phasegrad.train;
