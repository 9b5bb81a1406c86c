/**
 * Training of phasegrad's phase-derivative models: backward passes, Adam, the corpus pipeline and the
 * training loop. Reads the core's internals (the model runtime, derivatives, inverters, metrics) through
 * the core's qualified exports; its own package is for the command-line tool.
 */
@SuppressWarnings("module") // the command-line module is compiled after this one
module dev.phasegrad.train {
    requires dev.phasegrad.core;
    requires java.management;

    exports dev.phasegrad.train to
            dev.phasegrad.cli;
}
