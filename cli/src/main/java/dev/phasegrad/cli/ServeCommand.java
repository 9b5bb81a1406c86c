package dev.phasegrad.cli;

import dev.phasegrad.server.InversionServer;
import dev.phasegrad.server.ServerConfig;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serve live inversion over WebSocket: ws://HOST:PORT/v1/stream (protocol:",
            "docs/PROTOCOL.md), GET /health, GET /metrics (Prometheus text) and the page at /.",
            "One inverter per stream; models are loaded once and shared. Runs until interrupted."
        },
        footer = {
            "",
            "Examples:",
            "  phasegrad serve",
            "  phasegrad serve --port 9000 --max-streams 32",
            "  phasegrad serve --bind 0.0.0.0 --token \"$PHASEGRAD_TOKEN\""
        })
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--port", description = "TCP port (default ${DEFAULT-VALUE}; 0 for any free one).")
    int port = 8080;

    @Option(names = "--bind", paramLabel = "ADDR", description = "Address to listen on (default ${DEFAULT-VALUE}).")
    String bind = "127.0.0.1";

    @Option(
            names = "--token",
            paramLabel = "T",
            description = "Bearer token clients must present (Authorization: Bearer T, or ?access_token=T).")
    String token;

    @Option(names = "--insecure", description = "Allow a non-loopback --bind without --token.")
    boolean insecure;

    @Option(names = "--max-streams", paramLabel = "N", description = "Streams open at once (default ${DEFAULT-VALUE}).")
    int maxStreams = ServerConfig.defaults().maxStreams();

    @Option(
            names = "--max-message",
            paramLabel = "BYTES",
            description = "Largest binary message accepted (default ${DEFAULT-VALUE}).")
    int maxMessage = ServerConfig.defaults().maxMessageBytes();

    @Option(
            names = "--idle-timeout",
            paramLabel = "S",
            description = "Close a stream silent for this many seconds (default ${DEFAULT-VALUE}).")
    double idleSeconds = ServerConfig.defaults().idleTimeout().toMillis() / 1000.0;

    @Option(
            names = "--max-queued",
            paramLabel = "N",
            description = "PCM messages a stream may have unsent before it is closed as a slow client "
                    + "(default ${DEFAULT-VALUE}).")
    int maxQueued = ServerConfig.defaults().maxQueued();

    @Override
    public Integer call() throws Exception {
        ServerConfig config = ServerConfig.defaults()
                .withBind(bind)
                .withPort(port)
                .withToken(token, insecure)
                .withLimits(maxStreams, maxMessage, Duration.ofMillis(Math.round(idleSeconds * 1000)), maxQueued);
        long t0 = System.nanoTime();
        try (InversionServer server = InversionServer.start(config)) {
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "phasegrad-serve-stop"));
            System.err.printf(
                    "phasegrad serve: listening on %s (streams: %s, page: %s/) in %.2f s%n",
                    server.httpUri(), server.streamUri(), server.httpUri(), (System.nanoTime() - t0) / 1e9);
            server.join();
        }
        return 0;
    }
}
