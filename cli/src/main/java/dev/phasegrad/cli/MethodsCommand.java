package dev.phasegrad.cli;

import dev.phasegrad.invert.Methods;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "methods", mixinStandardHelpOptions = true, description = "List the inversion methods.",
        footer = {"", "Example:", "  phasegrad methods"})
final class MethodsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        for (String n : Methods.names()) {
            Methods.Method m = Methods.get(n);
            System.out.printf("%-18s %s%n", n, m.description());
        }
        return 0;
    }
}
