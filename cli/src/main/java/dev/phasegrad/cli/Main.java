package dev.phasegrad.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "phasegrad", mixinStandardHelpOptions = true, version = "phasegrad 0.1.0",
        description = "Online speech spectrogram inversion.")
public final class Main implements Runnable {
    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
