package dev.phasegrad.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phasegrad.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once on a MiniCluster: a failure mid-stream, and a savepoint restored at another parallelism;
 * every stream's audio must equal an uninterrupted plain-library run bit for bit, each hop once.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExactlyOnceTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(3)
            .build());

    private static final InverterSpec SPEC = InverterSpec.of(Method.PHASEGRAD);
    private static final int STREAMS = 4;
    private static final int FRAMES = 100;

    /** Hops by "stream#seq": the idempotent sink's table. */
    static final Map<String, PcmHop> TABLE = new ConcurrentHashMap<>();
    /** Writes of a key already in the table (replays), and of those, writes of different audio. */
    static final AtomicInteger REWRITES = new AtomicInteger();

    static final AtomicInteger CONFLICTS = new AtomicInteger();
    static final List<Rejected> REJECTED = new ArrayList<>();
    /** The pacing map's first number after each (re)start, and whether its one failure has happened. */
    static final List<Long> FIRST_SEEN = new ArrayList<>();

    static final AtomicBoolean FAILED = new AtomicBoolean();
    static final AtomicBoolean CHECKPOINTED = new AtomicBoolean();
    static final AtomicLong FAIL_AT = new AtomicLong(Long.MAX_VALUE);
    /** The pacing map's last number when the latest checkpoint completed. */
    static final AtomicLong CHECKPOINTED_AT = new AtomicLong(-1);
    /**
     * Numbers the failure waits for after a completed checkpoint, so that their hops reach the sink
     * before it and are replayed after it (the test would otherwise pass without exercising a replay).
     */
    private static final long AFTER_CHECKPOINT = 20;

    @BeforeEach
    void clear() {
        TABLE.clear();
        REWRITES.set(0);
        CONFLICTS.set(0);
        synchronized (REJECTED) {
            REJECTED.clear();
        }
        synchronized (FIRST_SEEN) {
            FIRST_SEEN.clear();
        }
        FAILED.set(false);
        CHECKPOINTED.set(false);
        CHECKPOINTED_AT.set(-1);
        FAIL_AT.set(Long.MAX_VALUE);
    }

    /** Slows the source down to a few ms per number and throws once, after a checkpoint, past FAIL_AT. */
    static final class PaceAndFailOnce implements MapFunction<Long, Long>, CheckpointListener {
        private static final long serialVersionUID = 1L;
        private transient boolean seen;
        private transient long last;

        @Override
        public Long map(Long i) throws Exception {
            if (!seen) {
                seen = true;
                synchronized (FIRST_SEEN) {
                    FIRST_SEEN.add(i);
                }
            }
            last = i;
            if (i >= FAIL_AT.get()
                    && CHECKPOINTED.get()
                    && i - CHECKPOINTED_AT.get() >= AFTER_CHECKPOINT
                    && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure at number " + i);
            }
            Thread.sleep(4);
            return i;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            CHECKPOINTED_AT.set(last);
            CHECKPOINTED.set(true);
        }
    }

    /** Upserts each hop under (stream, seq): a replayed hop overwrites its earlier self, and must equal it. */
    static final class TableSink implements Sink<PcmHop> {
        private static final long serialVersionUID = 1L;

        @Override
        public SinkWriter<PcmHop> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(PcmHop hop, Context c) {
                    PcmHop before = TABLE.put(hop.stream + "#" + hop.seq, hop);
                    if (before != null) {
                        REWRITES.incrementAndGet();
                        if (!before.equals(hop)) {
                            CONFLICTS.incrementAndGet();
                        }
                    }
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }

    static final class RejectedSink implements Sink<Rejected> {
        private static final long serialVersionUID = 1L;

        @Override
        public SinkWriter<Rejected> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(Rejected r, Context c) {
                    synchronized (REJECTED) {
                        REJECTED.add(r);
                    }
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }

    /** source (p 1) -> pace/fail (p 1) -> frames (p 1) -> keyBy -> invert (p) -> table sink (p). */
    private static StreamExecutionEnvironment job(int parallelism, Configuration extra) {
        Configuration conf = new Configuration(extra);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        Streams.forbidGenericTypes(env);
        env.enableCheckpointing(200);
        // hops reach the sink within milliseconds, so those of the numbers before the failure are there
        env.setBufferTimeout(5);
        env.setParallelism(parallelism);
        ClipFrameGenerator gen = new ClipFrameGenerator(SPEC, STREAMS, FRAMES);
        DataStream<Frame> frames = env.fromSequence(0, gen.count() - 1)
                .setParallelism(1)
                .uid("numbers")
                .map(new PaceAndFailOnce())
                .setParallelism(1)
                .uid("pace")
                .map(gen)
                .setParallelism(1)
                .uid("frames");
        SingleOutputStreamOperator<PcmHop> hops = Streams.invert(frames, SPEC);
        hops.sinkTo(new TableSink()).uid("table");
        hops.getSideOutput(InvertFrames.REJECTED).sinkTo(new RejectedSink()).uid("rejected");
        return env;
    }

    private static void assertEveryStreamIsThePlainRun() {
        assertThat(CONFLICTS.get())
                .as("replayed hops that differ from their first write")
                .isZero();
        assertThat(REJECTED).isEmpty();
        assertThat(TABLE).hasSize(STREAMS * (FRAMES + 1));
        for (int s = 0; s < STREAMS; s++) {
            String id = ClipFrameGenerator.streamId(s);
            List<PcmHop> hops =
                    TABLE.values().stream().filter(h -> h.stream.equals(id)).toList();
            float[] expected = Reference.plain(SPEC, ClipFrames.frames(s, SPEC.stft()), FRAMES);
            assertThat(Reference.join(hops)).as(id).containsExactly(expected);
        }
    }

    @Test
    void aFailureMidStreamIsRecoveredFromACheckpointWithEveryStreamBitIdentical() throws Exception {
        FAIL_AT.set(STREAMS * (FRAMES + 1) / 2);
        job(2, new Configuration()).execute("exactly-once under a failure");

        assertThat(FAILED).as("the injected failure happened").isTrue();
        assertThat(FIRST_SEEN).hasSize(2);
        assertThat(FIRST_SEEN.get(1))
                .as("the restarted source resumed from a checkpoint, not from the start")
                .isPositive();
        assertThat(REWRITES.get()).as("hops after the checkpoint were replayed").isPositive();
        System.out.printf(
                "failure at number >= %d, resumed from number %d, %d hops replayed (%d differing), %d hops%n",
                FAIL_AT.get(), FIRST_SEEN.get(1), REWRITES.get(), CONFLICTS.get(), TABLE.size());
        assertEveryStreamIsThePlainRun();
    }

    @Test
    void aSavepointRestoredAtAnotherParallelismContinuesEveryStreamBitIdentical(@TempDir Path dir) throws Exception {
        JobClient first = job(2, new Configuration()).executeAsync("before the savepoint, parallelism 2");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (TABLE.size() < STREAMS * FRAMES / 3 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        String savepoint = first.stopWithSavepoint(false, dir.toUri().toString(), SavepointFormatType.CANONICAL)
                .get(60, TimeUnit.SECONDS);
        int before = TABLE.size();
        assertThat(before).isBetween(STREAMS * FRAMES / 3, STREAMS * FRAMES - 1);

        Configuration restore = new Configuration();
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        job(3, restore).execute("after the savepoint, parallelism 3");

        assertThat(FIRST_SEEN).hasSize(2);
        assertThat(FIRST_SEEN.get(1))
                .as("the second job started where the savepoint was")
                .isPositive();
        System.out.printf(
                "savepoint after %d hops, second job from number %d, %d hops replayed, %d hops%n",
                before, FIRST_SEEN.get(1), REWRITES.get(), TABLE.size());
        assertEveryStreamIsThePlainRun();
    }
}
