package dev.phasegrad.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phasegrad.Method;
import dev.phasegrad.flink.InvertFrames.StateMode;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The keyed inverter in Flink's operator test harness: no cluster, processing time set by hand. */
class InvertFramesTest {
    private static final InverterSpec SPEC = InverterSpec.of(Method.PHASEGRAD).withIdleTimeout(1000);
    private static final int FRAMES = 40;

    private static KeyedOneInputStreamOperatorTestHarness<String, Frame, PcmHop> harness(StateMode mode)
            throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, Frame, PcmHop> h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new InvertFrames(SPEC, mode)), f -> f.stream, Types.STRING);
        h.setup();
        return h;
    }

    private static List<PcmHop> of(List<PcmHop> hops, String stream) {
        return hops.stream().filter(h -> h.stream.equals(stream)).toList();
    }

    private static List<Rejected> rejected(KeyedOneInputStreamOperatorTestHarness<String, Frame, PcmHop> h) {
        List<Rejected> out = new ArrayList<>();
        if (h.getSideOutput(InvertFrames.REJECTED) != null) {
            for (StreamRecord<Rejected> r : h.getSideOutput(InvertFrames.REJECTED)) {
                out.add(r.getValue());
            }
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(StateMode.class)
    void interleavedStreamsEqualThePlainLibraryBitForBit(StateMode mode) throws Exception {
        float[][] a = ClipFrames.frames(0, SPEC.stft());
        float[][] b = ClipFrames.frames(1, SPEC.stft());
        try (var h = harness(mode)) {
            h.open();
            for (int t = 0; t < FRAMES; t++) {
                h.processElement(new StreamRecord<>(Frame.of("a", t, a[t])));
                h.processElement(new StreamRecord<>(Frame.of("b", t, b[t])));
            }
            h.processElement(new StreamRecord<>(Frame.end("a", FRAMES)));
            h.processElement(new StreamRecord<>(Frame.end("b", FRAMES)));
            List<PcmHop> out = h.extractOutputValues();
            assertThat(Reference.join(of(out, "a"))).containsExactly(Reference.plain(SPEC, a, FRAMES));
            assertThat(Reference.join(of(out, "b"))).containsExactly(Reference.plain(SPEC, b, FRAMES));
            assertThat(rejected(h)).isEmpty();
        }
    }

    @Test
    void framesOutOfSequenceAndInvalidFramesAreRefusedAndChangeNothing() throws Exception {
        float[][] a = ClipFrames.frames(0, SPEC.stft());
        float[] nan = a[2].clone();
        nan[7] = Float.NaN;
        try (var h = harness(StateMode.CACHED)) {
            h.open();
            h.processElement(new StreamRecord<>(Frame.of("a", 0, a[0])));
            h.processElement(new StreamRecord<>(Frame.of("a", 2, a[2]))); // gap
            h.processElement(new StreamRecord<>(Frame.of("a", 1, a[1])));
            h.processElement(new StreamRecord<>(Frame.of("a", 1, a[1]))); // duplicate
            h.processElement(new StreamRecord<>(Frame.of("a", 2, nan))); // invalid: resent below
            h.processElement(new StreamRecord<>(Frame.end("a", 5))); // wrong count
            for (int t = 2; t < FRAMES; t++) {
                h.processElement(new StreamRecord<>(Frame.of("a", t, a[t])));
            }
            h.processElement(new StreamRecord<>(Frame.end("a", FRAMES)));
            h.processElement(new StreamRecord<>(Frame.of("a", FRAMES, a[FRAMES]))); // after the end

            assertThat(Reference.join(h.extractOutputValues())).containsExactly(Reference.plain(SPEC, a, FRAMES));
            List<Rejected> r = rejected(h);
            assertThat(r).extracting(x -> x.seq).containsExactly(2L, 1L, 2L, 5L, (long) FRAMES);
            assertThat(r.get(0).reason).contains("expected frame 1", "gap");
            assertThat(r.get(1).reason).contains("expected frame 2", "duplicate");
            assertThat(r.get(2).reason).contains("bin 7");
            assertThat(r.get(3).reason).contains("end marker after 5 frames", "expected frame count 2");
            assertThat(r.get(4).reason).contains("expected frame 0");
        }
    }

    @ParameterizedTest
    @EnumSource(StateMode.class)
    void anIdleStreamIsFlushedAndEvictedByItsTimer(StateMode mode) throws Exception {
        float[][] a = ClipFrames.frames(0, SPEC.stft());
        float[][] b = ClipFrames.frames(1, SPEC.stft());
        try (var h = harness(mode)) {
            h.open();
            h.setProcessingTime(0);
            for (int t = 0; t < 10; t++) {
                h.processElement(new StreamRecord<>(Frame.of("a", t, a[t])));
                h.processElement(new StreamRecord<>(Frame.of("b", t, b[t])));
            }
            h.setProcessingTime(900); // b keeps going, a falls silent
            for (int t = 10; t < 20; t++) {
                h.processElement(new StreamRecord<>(Frame.of("b", t, b[t])));
            }
            assertThat(of(h.extractOutputValues(), "a")).noneMatch(x -> x.last);
            h.setProcessingTime(1200);
            List<PcmHop> out = h.extractOutputValues();
            PcmHop tail = out.get(out.size() - 1);
            assertThat(tail.stream).isEqualTo("a");
            assertThat(tail.evicted).isTrue();
            assertThat(Reference.join(of(out, "a"))).containsExactly(Reference.plain(SPEC, a, 10));
            assertThat(of(out, "b")).noneMatch(x -> x.last);
            assertThat(h.numKeyedStateEntries()).isEqualTo(3); // b's snapshot, next, active; a's are gone

            h.setProcessingTime(2100);
            out = h.extractOutputValues();
            assertThat(Reference.join(of(out, "b"))).containsExactly(Reference.plain(SPEC, b, 20));
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(StateMode.class)
    void aTaskRestoredFromACheckpointContinuesEveryStreamBitForBit(StateMode mode) throws Exception {
        float[][] a = ClipFrames.frames(0, SPEC.stft());
        float[][] b = ClipFrames.frames(1, SPEC.stft());
        List<PcmHop> out = new ArrayList<>();
        OperatorSubtaskState checkpoint;
        try (var h = harness(mode)) {
            h.open();
            for (int t = 0; t < 15; t++) {
                h.processElement(new StreamRecord<>(Frame.of("a", t, a[t])));
                h.processElement(new StreamRecord<>(Frame.of("b", t, b[t])));
            }
            checkpoint = h.snapshot(1, 1);
            out.addAll(h.extractOutputValues());
            // frames after the checkpoint are lost with the failed task, and replayed below
            h.processElement(new StreamRecord<>(Frame.of("a", 15, a[15])));
        }
        try (var h = harness(mode)) {
            h.initializeState(checkpoint);
            h.open();
            for (int t = 15; t < FRAMES; t++) {
                h.processElement(new StreamRecord<>(Frame.of("a", t, a[t])));
                h.processElement(new StreamRecord<>(Frame.of("b", t, b[t])));
            }
            h.processElement(new StreamRecord<>(Frame.end("a", FRAMES)));
            h.processElement(new StreamRecord<>(Frame.end("b", FRAMES)));
            out.addAll(h.extractOutputValues());
        }
        assertThat(Reference.join(of(out, "a"))).containsExactly(Reference.plain(SPEC, a, FRAMES));
        assertThat(Reference.join(of(out, "b"))).containsExactly(Reference.plain(SPEC, b, FRAMES));
    }
}
