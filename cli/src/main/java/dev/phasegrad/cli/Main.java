package dev.phasegrad.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(
        name = "phasegrad",
        mixinStandardHelpOptions = true,
        version = "phasegrad 0.1.0",
        description = {
            "Online (streaming, causal) speech spectrogram inversion: STFT magnitudes in, waveform out.",
            "Default STFT: periodic Hann 1024, hop 256, 16 kHz."
        },
        subcommands = {
            DemoCommand.class,
            InvertCommand.class,
            StreamCommand.class,
            EvalCommand.class,
            MethodsCommand.class,
            BenchCommand.class,
            SoakCommand.class,
            TrainCommand.class,
            ServeCommand.class,
            LoadtestCommand.class
        },
        footer = {
            "",
            "Examples:",
            "  phasegrad demo                         # every method on the embedded clip",
            "  phasegrad invert speech.wav out.wav    # analyse, drop phase, reconstruct",
            "  tts | phasegrad stream | aplay -f S16_LE -r 16000   # audio per frame",
            "  phasegrad eval --json r.json clips/    # quality/speed table",
            "  phasegrad serve                        # WebSocket service, page at http://127.0.0.1:8080/",
            "  phasegrad soak --hours 24              # a day of frames, every method",
            "  phasegrad <command> --help"
        })
public final class Main implements Runnable {
    public static void main(String[] args) {
        StreamCommand.ownsStdout = true;
        System.exit(run(args));
    }

    /** Runs the CLI and returns the exit code: 0 ok, 1 error (one line on stderr), 2 usage error. */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> fail(cmd.getErr(), cmd.getCommandName(), ex));
        try {
            return cl.execute(args);
        } catch (Error | RuntimeException ex) {
            // picocli hands only Exceptions to the handler above; an Error (out of memory, a stack overflow)
            // or a failure in picocli itself ends here, still as one line
            CommandLine.ParseResult parsed = cl.getParseResult();
            String command = "phasegrad";
            if (parsed != null && parsed.hasSubcommand()) {
                command = parsed.subcommand().commandSpec().name();
            }
            return fail(cl.getErr(), command, ex);
        }
    }

    private static int fail(PrintWriter err, String command, Throwable ex) {
        err.println((command.equals("phasegrad") ? "phasegrad" : "phasegrad " + command) + ": error: " + describe(ex));
        if (System.getenv("PHASEGRAD_DEBUG") != null) {
            ex.printStackTrace(err);
        }
        err.flush();
        return 1;
    }

    static String describe(Throwable ex) {
        Throwable t = ex;
        if (t instanceof UncheckedIOException && t.getCause() != null) {
            t = t.getCause();
        }
        String msg = t.getMessage();
        if (t instanceof OutOfMemoryError) {
            return "out of memory (" + msg + "); streaming methods run in constant memory, or raise the heap limit "
                    + "(PHASEGRAD_JAVA_OPTS=-Xmx4g)";
        }
        if (t instanceof StackOverflowError) {
            return "stack overflow (internal error; set PHASEGRAD_DEBUG=1 for the stack trace)";
        }
        if (t instanceof Cli.UserError || t instanceof IllegalArgumentException || t instanceof IOException) {
            if (t instanceof NoSuchFileException) {
                return msg + ": no such file";
            }
            if (t instanceof AccessDeniedException) {
                return msg + ": permission denied";
            }
            return msg == null ? t.getClass().getSimpleName() : msg;
        }
        return t.getClass().getSimpleName() + (msg == null ? "" : ": " + msg)
                + " (internal error; set PHASEGRAD_DEBUG=1 for the stack trace)";
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
