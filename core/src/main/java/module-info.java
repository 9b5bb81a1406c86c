/**
 * phasegrad's library: streaming spectrogram inversion ({@link dev.phasegrad.PhaseInverter}), log-mel
 * vocoding ({@link dev.phasegrad.MelVocoder}), the feature front ends, the STFT, models and audio file I/O.
 *
 * <p>Only those packages are exported. The methods' building blocks (derivative estimators, the
 * least-squares integrator, the inverter catalogue, the model runtime, metrics and evaluation) are
 * exported to phasegrad's own training and command-line modules alone, so that they can change without
 * breaking applications. The module needs java.base and JTransforms, nothing else: no java.desktop.
 */
@SuppressWarnings({"module", "requires-automatic"
}) // the qualified-export targets are built after the core; JTransforms has no module descriptor
module dev.phasegrad.core {
    requires JTransforms;

    exports dev.phasegrad;
    exports dev.phasegrad.audio;
    exports dev.phasegrad.features;
    exports dev.phasegrad.nn;
    exports dev.phasegrad.stft;
    exports dev.phasegrad.derivatives to
            dev.phasegrad.train,
            dev.phasegrad.cli;
    exports dev.phasegrad.integrate to
            dev.phasegrad.train,
            dev.phasegrad.cli;
    exports dev.phasegrad.invert to
            dev.phasegrad.train,
            dev.phasegrad.cli;
    exports dev.phasegrad.metrics to
            dev.phasegrad.train,
            dev.phasegrad.cli;
    exports dev.phasegrad.nn.runtime to
            dev.phasegrad.train,
            dev.phasegrad.cli;
    exports dev.phasegrad.eval to
            dev.phasegrad.train,
            dev.phasegrad.cli;
}
