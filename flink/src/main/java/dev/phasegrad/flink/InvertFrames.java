package dev.phasegrad.flink;

import dev.phasegrad.PhaseInverter;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The inverter as a keyed Flink operator: frames keyed by stream id in, one hop of audio per frame out,
 * each stream's whole inverter state in Flink managed keyed state, so checkpoints, savepoints and
 * rescaling carry every stream and a recovered job continues each one bit for bit.
 *
 * <p><b>State per key</b>: {@code snapshot} ({@code byte[]}, {@link PhaseInverter#snapshot()}, 26,740
 * bytes for {@code phasegrad} at 1024/256), {@code next} (the sequence number expected next, a long) and
 * {@code active} (processing time of the last accepted frame, a long). Models are loaded in
 * {@link #open}, shared, never in state.
 *
 * <p><b>Consistency with checkpoints</b>: after every accepted frame the key's {@code snapshot} is
 * rewritten, so the keyed state equals the live stream whenever Flink snapshots it (a barrier is taken
 * between two elements). In {@link StateMode#CACHED} the live inverters are also kept in a transient
 * map by stream id, used only while their frame count equals {@code next}; a recovered or rescaled task
 * starts with an empty map and rebuilds each inverter from its snapshot on the stream's next frame. In
 * {@link StateMode#RESTORE_PER_FRAME} one inverter per task is restored from the snapshot on every frame.
 *
 * <p><b>Order</b>: frames are refused, not reordered. A frame whose {@code seq} is not the one expected
 * (a gap, a duplicate, or a frame after its stream's end) goes to the side output {@link #REJECTED} and
 * changes nothing; so does an invalid frame (wrong length, not finite, negative), which the producer may
 * send again under the same {@code seq}. Flink keeps the order of one key between two operators, so
 * frames produced in order arrive in order; a source that can reorder (several partitions per stream)
 * has to be fixed at the source.
 *
 * <p><b>End and idleness</b>: the end marker ({@link Frame#end}, carrying the frame count) flushes the
 * tail as a {@link PcmHop#last} hop and clears the key. A stream with no accepted frame for the idle
 * timeout is flushed and cleared the same way by a processing-time timer ({@link PcmHop#evicted}); its
 * later frames are refused (they do not start at 0).
 */
public final class InvertFrames extends KeyedProcessFunction<String, Frame, PcmHop> {
    private static final long serialVersionUID = 1L;

    /** Refused frames, one line each. */
    public static final OutputTag<Rejected> REJECTED =
            new OutputTag<>("phasegrad-rejected", TypeInformation.of(Rejected.class));

    /** Where the live inverter of a stream comes from for each frame. */
    public enum StateMode {
        /** Live inverters cached per stream id, snapshot written to keyed state after every frame. */
        CACHED,
        /** One inverter per task, restored from keyed state before and snapshotted after every frame. */
        RESTORE_PER_FRAME
    }

    private final InverterSpec spec;
    private final StateMode mode;

    private transient ValueState<byte[]> snapshot;
    private transient ValueState<Long> next;
    private transient ValueState<Long> active;
    private transient Map<String, PhaseInverter> live;
    private transient PhaseInverter scratch;
    private transient long timerStep;

    public InvertFrames(InverterSpec spec, StateMode mode) {
        this.spec = spec;
        this.mode = mode;
    }

    @Override
    public void open(OpenContext context) {
        snapshot = getRuntimeContext()
                .getState(
                        new ValueStateDescriptor<>("snapshot", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        next = getRuntimeContext().getState(new ValueStateDescriptor<>("next", Types.LONG));
        active = getRuntimeContext().getState(new ValueStateDescriptor<>("active", Types.LONG));
        live = new HashMap<>();
        scratch = spec.build(); // loads the model here, and fails the task early on settings no model ships for
        // Timers on a coarse grid: Flink keeps one timer per key and time, so a stream holds at most ~10.
        timerStep = Math.max(1, spec.idleTimeoutMillis() / 10);
    }

    @Override
    public void processElement(Frame frame, Context ctx, Collector<PcmHop> out) throws Exception {
        String key = ctx.getCurrentKey();
        Long n = next.value();
        long expected = n == null ? 0 : n;
        if (frame.seq != expected) {
            ctx.output(REJECTED, new Rejected(key, frame.seq, outOfSequence(frame, expected)));
            return;
        }
        PhaseInverter inv = inverterFor(key, expected);
        if (frame.end) {
            finish(key, inv, expected, false, out);
            return;
        }
        float[] pcm = new float[inv.hop()]; // emitted downstream, so a new array per hop
        try {
            if (spec.logMagnitude()) {
                inv.pushLog(frame.magnitude, pcm);
            } else {
                inv.push(frame.magnitude, pcm);
            }
        } catch (IllegalArgumentException e) { // the inverter is unchanged by a refused frame
            ctx.output(REJECTED, new Rejected(key, frame.seq, e.getMessage()));
            return;
        }
        snapshot.update(inv.snapshot());
        next.update(expected + 1);
        long now = ctx.timerService().currentProcessingTime();
        active.update(now);
        ctx.timerService().registerProcessingTimeTimer(((now + spec.idleTimeoutMillis()) / timerStep + 1) * timerStep);
        out.collect(new PcmHop(key, frame.seq, pcm, false, false));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<PcmHop> out) throws Exception {
        Long last = active.value();
        if (last == null || timestamp - last < spec.idleTimeoutMillis()) {
            return; // the stream ended already, or had frames since this timer was set
        }
        String key = ctx.getCurrentKey();
        long frames = next.value();
        finish(key, inverterFor(key, frames), frames, true, out);
    }

    private void finish(String key, PhaseInverter inv, long frames, boolean evicted, Collector<PcmHop> out)
            throws Exception {
        float[] tail = new float[inv.latencySamples()];
        inv.flush(tail);
        live.remove(key);
        snapshot.clear();
        next.clear();
        active.clear();
        out.collect(new PcmHop(key, frames, tail, true, evicted));
    }

    /** The inverter of {@code key}, positioned at frame {@code expected} as the keyed state says. */
    private PhaseInverter inverterFor(String key, long expected) throws Exception {
        PhaseInverter inv;
        if (mode == StateMode.CACHED) {
            inv = live.get(key);
            if (inv != null && inv.frames() == expected) {
                return inv;
            }
            if (inv == null) {
                inv = spec.build();
                live.put(key, inv);
            }
        } else {
            inv = scratch;
        }
        byte[] s = snapshot.value();
        if (s == null) {
            inv.reset();
        } else {
            inv.restore(s);
        }
        return inv;
    }

    private static String outOfSequence(Frame frame, long expected) {
        String what = frame.end ? "end marker after " + frame.seq + " frames" : "frame " + frame.seq;
        return what + " out of sequence: expected " + (frame.end ? "frame count " : "frame ") + expected
                + (frame.seq < expected ? " (duplicate or late)" : " (gap: frames missing)")
                + "; refused, frames are not reordered";
    }
}
