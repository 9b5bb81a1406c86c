/**
 * Phase-derivative models: {@link dev.phasegrad.nn.PhaseModel}, the immutable, shareable trained
 * model with its {@code .pgnn} file format, and the parts that describe it —
 * {@link dev.phasegrad.nn.NetworkSpec} (a network's trunk and heads), {@link dev.phasegrad.nn.LayerSpec}
 * (one convolution along frequency), {@link dev.phasegrad.nn.HeadSpec} (which derivative of which frame a
 * head predicts) and {@link dev.phasegrad.nn.InputFeatures} (magnitude frame → normalised log input).
 *
 * <p>Applications read a model once and hand it to {@link dev.phasegrad.PhaseInverter.Builder#model};
 * built-in models are class-path resources under {@code dev/phasegrad/models/}. Running a model (the
 * convolution kernels, the per-stream runner) is internal to the library, and backward passes and
 * training live in the separate {@code train} module.
 */
package dev.phasegrad.nn;
