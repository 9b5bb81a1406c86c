/**
 * Training of {@link dev.phasegrad.nn.PhaseModel}s: hand-written backward passes
 * ({@link dev.phasegrad.train.ConvGrad}, {@link dev.phasegrad.train.Workspace}), Adam, the corpus
 * pipeline ({@link dev.phasegrad.train.Corpus}), the deterministic multi-threaded loop with
 * checkpoints ({@link dev.phasegrad.train.Trainer}, configured by
 * {@link dev.phasegrad.train.TrainConfig}), and reconstruction scoring / LS-parameter tuning
 * ({@link dev.phasegrad.train.Evaluation}). The command-line entry point is {@code phasegrad train}.
 */
package dev.phasegrad.train;
