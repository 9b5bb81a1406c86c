package dev.phasegrad.cli;

import dev.phasegrad.invert.Methods;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(
        name = "methods",
        mixinStandardHelpOptions = true,
        description = "List the inversion methods.",
        footer = {"", "Example:", "  phasegrad methods"})
final class MethodsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        for (String n : Methods.names()) {
            Methods.Entry m = Methods.get(n);
            String kind = m.needsTruth() ? "oracle" : m.isStreaming() ? "streaming" : "offline";
            System.out.printf("%-18s %-9s %s%n", n, kind, m.description());
        }
        System.out.println();
        System.out.println("Old names are accepted as aliases:");
        for (Map.Entry<String, String> a : Methods.aliases().entrySet()) {
            System.out.printf("  %-16s -> %s%n", a.getKey(), a.getValue());
        }
        return 0;
    }
}
