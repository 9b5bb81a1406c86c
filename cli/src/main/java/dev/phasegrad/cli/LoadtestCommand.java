package dev.phasegrad.cli;

import dev.phasegrad.Method;
import dev.phasegrad.server.LoadTest;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "loadtest",
        mixinStandardHelpOptions = true,
        description = {
            "Load and fault test of a running 'phasegrad serve': N concurrent streams of the",
            "embedded speech clip (1024/256, 16 kHz) at real-time pace or as fast as the server answers;",
            "every PCM message is checked bit for bit against a local inverter. Reports per-hop latency",
            "(frame sent to its PCM received) p50/p99/max, frames sent vs received, lost or reordered,",
            "the server's CPU and heap (from /metrics). With --faults, 5 % of the streams each disconnect",
            "abruptly, send a NaN frame, or read slowly; the other streams must be unaffected."
        },
        footer = {
            "",
            "Examples:",
            "  phasegrad loadtest --streams 16 --seconds 10",
            "  phasegrad loadtest --url ws://127.0.0.1:8080/v1/stream --streams 40 --seconds 20 --faults --json r.json",
            "  phasegrad loadtest --streams 4 --seconds 5 --fast"
        })
final class LoadtestCommand implements Callable<Integer> {
    @Option(names = "--url", description = "Stream endpoint (default ${DEFAULT-VALUE}).")
    URI url = URI.create("ws://127.0.0.1:8080/v1/stream");

    @Option(names = "--streams", paramLabel = "N", description = "Concurrent streams (default ${DEFAULT-VALUE}).")
    int streams = 8;

    @Option(names = "--seconds", paramLabel = "S", description = "Length of the run (default ${DEFAULT-VALUE}).")
    double seconds = 10;

    @Option(names = "--realtime", description = "One frame per hop per stream (the default).")
    boolean realtime;

    @Option(names = "--fast", description = "As fast as the server answers, 16 frames in flight per stream.")
    boolean fast;

    @Option(names = "--faults", description = "Inject faults into 5 % of the streams each (see above).")
    boolean faults;

    @Option(
            names = {"-m", "--method"},
            paramLabel = "M",
            description = "Method (default ${DEFAULT-VALUE}).")
    String method = "phasegrad";

    @Option(names = "--token", paramLabel = "T", description = "Bearer token of the server.")
    String token;

    @Option(
            names = "--warmup",
            paramLabel = "S",
            description = "First run the same streams this many seconds, unmeasured and without faults, so that the "
                    + "server's JIT has compiled the hot path (default ${DEFAULT-VALUE}).")
    double warmup = 0;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON.")
    Path json;

    @Override
    public Integer call() throws Exception {
        if (realtime && fast) {
            throw new Cli.UserError("--realtime and --fast exclude each other");
        }
        if (streams < 1 || streams > 10_000) {
            throw new Cli.UserError("--streams must be 1..10000, got " + streams);
        }
        if (!(seconds > 0 && seconds <= 3600)) {
            throw new Cli.UserError("--seconds must be in (0, 3600], got " + seconds);
        }
        Map<String, Object> r;
        try {
            if (warmup > 0) {
                LoadTest.run(
                        new LoadTest.Options(url, streams, warmup, !fast, false, Method.fromName(method), token),
                        System.err);
            }
            r = LoadTest.run(
                    new LoadTest.Options(url, streams, seconds, !fast, faults, Method.fromName(method), token),
                    System.err);
        } catch (ExecutionException e) {
            throw new Cli.UserError(url + ": cannot connect (" + e.getCause() + "); is 'phasegrad serve' running?");
        }
        System.out.printf(
                "%-22s %s%n",
                "mode",
                r.get("mode") + ", " + r.get("streams") + " streams, " + r.get("seconds") + " s, " + r.get("method"));
        for (String k : List.of(
                "framesSent",
                "pcmReceived",
                "lost",
                "mismatchedOrReordered",
                "goodStreams",
                "goodStreamsComplete",
                "framesPerSecond",
                "latencyMsP50",
                "latencyMsP99",
                "latencyMsMax",
                "hopMs",
                "realtimeSustained",
                "serverCpuCores",
                "serverHeapUsedMiB")) {
            System.out.printf("%-22s %s%n", k, r.get(k));
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> f = (List<Map<String, Object>>) r.get("faults");
        for (Map<String, Object> fault : f) {
            System.out.printf(
                    "fault stream %-3s %-12s close %s %s; its PCM matches local: %s%n",
                    fault.get("stream"),
                    fault.get("fault"),
                    fault.get("closeCode"),
                    fault.get("closeReason"),
                    fault.get("pcmMatchesLocal"));
        }
        if (json != null) {
            Json.write(json, r);
        }
        boolean ok = (Long) r.get("lost") == 0
                && (Long) r.get("mismatchedOrReordered") == 0
                && r.get("goodStreams").equals(r.get("goodStreamsComplete"));
        return ok ? 0 : 1;
    }
}
