package dev.phasegrad.flink;

import dev.phasegrad.Method;
import dev.phasegrad.audio.WavWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * {@code phasegrad flink ...}: the batch job, a streaming demo and the benchmark. Started with
 * {@code java} the jobs run on a MiniCluster in this JVM; submitted with {@code flink run} the same main
 * builds the same job graph on the cluster ({@code batch} and {@code stream-demo} only).
 */
public final class Main {
    private static final String USAGE = String.join(
            "\n",
            "usage: phasegrad flink batch [options] IN_DIR|'glob'|FILES... OUT_DIR",
            "       phasegrad flink batch [options] --manifest jobs.tsv [OUT_DIR]",
            "       phasegrad flink stream-demo [options] [--streams K] [--frames T] [--buffer-timeout MS] OUT_DIR",
            "       phasegrad flink bench [--method M] [--streams K] [--frames T] [--parallelism 1,2] [--rounds R]",
            "options: --method M (default phasegrad), --fft N --hop H --rate HZ (default 1024 256 16000),",
            "         --parallelism P (default 2), --metrics FILE (batch: a tab-separated table per file)");

    private Main() {}

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    /** Runs a command; returns the exit code: 0 ok, 1 failed (one line on stderr per problem), 2 usage. */
    static int run(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            System.out.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        Options o;
        try {
            o = Options.parse(Arrays.copyOfRange(args, 1, args.length));
        } catch (IllegalArgumentException e) {
            System.err.println("phasegrad flink: " + e.getMessage());
            return 2;
        }
        try {
            return switch (args[0]) {
                case "batch" -> batch(o);
                case "stream-demo" -> streamDemo(o);
                case "bench" -> {
                    Bench.run(o.spec(), o.streams, o.frames, o.parallelisms, o.rounds);
                    yield 0;
                }
                default -> {
                    System.err.println("phasegrad flink: unknown command '" + args[0] + "'\n" + USAGE);
                    yield 2;
                }
            };
        } catch (IllegalArgumentException e) {
            System.err.println("phasegrad flink: " + e.getMessage());
            return 2;
        }
    }

    private static int batch(Options o) throws Exception {
        List<FileJob> jobs;
        if (o.manifest != null) {
            if (o.positional.size() > 1) {
                throw new IllegalArgumentException("with --manifest give at most the output directory");
            }
            jobs = BatchJob.manifest(o.manifest, o.positional.isEmpty() ? null : Path.of(o.positional.get(0)));
        } else {
            if (o.positional.size() < 2) {
                throw new IllegalArgumentException("batch needs inputs and an output directory\n" + USAGE);
            }
            Path out = Path.of(o.positional.get(o.positional.size() - 1));
            jobs = BatchJob.plan(o.positional.subList(0, o.positional.size() - 1), out);
        }
        long t0 = System.nanoTime();
        List<FileOutcome> outcomes = BatchJob.run(
                StreamExecutionEnvironment.getExecutionEnvironment(), jobs, o.spec(), o.parallelisms[0], o.metrics);
        double seconds = 0;
        int failed = 0;
        for (FileOutcome r : outcomes) {
            if (r.ok) {
                seconds += r.seconds;
            } else {
                failed++;
                System.err.println(r.message);
            }
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "%d files ok, %d failed; %.2f h of audio in %.1f s (real-time factor %.4f, MiniCluster start included)%n",
                outcomes.size() - failed,
                failed,
                seconds / 3600,
                wall,
                seconds > 0 ? wall / seconds : 0);
        return failed == 0 ? 0 : 1;
    }

    private static int streamDemo(Options o) throws Exception {
        if (o.positional.size() != 1) {
            throw new IllegalArgumentException("stream-demo needs one output directory\n" + USAGE);
        }
        Path out = Path.of(o.positional.get(0));
        InverterSpec spec = o.spec();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Streams.forbidGenericTypes(env);
        env.setParallelism(o.parallelisms[0]);
        env.enableCheckpointing(1000);
        if (o.bufferTimeout >= 0) {
            env.setBufferTimeout(o.bufferTimeout);
        }
        ClipFrameGenerator gen = new ClipFrameGenerator(spec, o.streams, o.frames);
        DataStream<Frame> frames = env.fromSequence(0, gen.count() - 1)
                .setParallelism(1)
                .uid("numbers")
                .map(gen)
                .setParallelism(1)
                .uid("frames");
        SingleOutputStreamOperator<PcmHop> hops = Streams.invert(frames, spec);
        Map<String, Map<Long, float[]>> streams = new TreeMap<>();
        long t0 = System.nanoTime();
        try (CloseableIterator<PcmHop> it = hops.executeAndCollect("phasegrad stream demo")) {
            while (it.hasNext()) {
                PcmHop h = it.next();
                streams.computeIfAbsent(h.stream, k -> new TreeMap<>()).put(h.seq, h.pcm);
            }
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        Files.createDirectories(out);
        for (Map.Entry<String, Map<Long, float[]>> e : streams.entrySet()) {
            int length = e.getValue().values().stream().mapToInt(p -> p.length).sum();
            float[] y = new float[length];
            int at = 0;
            for (float[] p : e.getValue().values()) {
                System.arraycopy(p, 0, y, at, p.length);
                at += p.length;
            }
            WavWriter.writePcm16(out.resolve(e.getKey() + ".wav"), y, spec.sampleRate());
        }
        System.out.printf(
                Locale.ROOT,
                "%d streams x %d frames inverted (%s) in %.1f s at parallelism %d; WAVs in %s%n",
                streams.size(),
                o.frames,
                spec.method(),
                wall,
                o.parallelisms[0],
                out);
        return 0;
    }

    /** The command line after the command name. */
    static final class Options {
        String method = Method.PHASEGRAD.catalogueName();
        int fft = 1024;
        int hop = 256;
        int rate = 16000;
        int[] parallelisms = {2};
        int streams = 4;
        int frames = 300;
        int rounds = 3;
        long bufferTimeout = -1;
        Path metrics;
        Path manifest;
        final List<String> positional = new ArrayList<>();

        InverterSpec spec() {
            return new InverterSpec(method, fft, hop, rate, false, null, 60_000);
        }

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (!a.startsWith("--")) {
                    o.positional.add(a);
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--method", "-m" -> o.method = Method.fromName(v).catalogueName();
                    case "--fft" -> o.fft = positive(a, v);
                    case "--hop" -> o.hop = positive(a, v);
                    case "--rate" -> o.rate = positive(a, v);
                    case "--streams" -> o.streams = positive(a, v);
                    case "--frames" -> o.frames = positive(a, v);
                    case "--rounds" -> o.rounds = positive(a, v);
                    case "--buffer-timeout" -> o.bufferTimeout = number(a, v, 0);
                    case "--parallelism" ->
                        o.parallelisms = Arrays.stream(v.split(","))
                                .mapToInt(p -> positive(a, p))
                                .toArray();
                    case "--metrics" -> o.metrics = Path.of(v);
                    case "--manifest" -> o.manifest = Path.of(v);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            return o;
        }

        private static int positive(String option, String value) {
            return number(option, value, 1);
        }

        private static int number(String option, String value, int min) {
            try {
                int n = Integer.parseInt(value.strip());
                if (n < min) {
                    throw new IllegalArgumentException(option + " must be at least " + min + ", got " + value);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " takes a whole number, got '" + value + "'");
            }
        }
    }
}
