package dev.phasegrad.flink;

import dev.phasegrad.flink.InvertFrames.StateMode;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Puts the keyed inverter into a job: {@code frames -> keyBy(stream) -> invert -> hops}. */
public final class Streams {
    /** The operator's uid: savepoints find its state by it, so it never changes. */
    public static final String UID = "phasegrad-invert";

    private Streams() {}

    /**
     * Frames keyed by {@link Frame#stream} through {@link InvertFrames} in {@link StateMode#CACHED}.
     * Refused frames: {@code result.getSideOutput(InvertFrames.REJECTED)}.
     *
     * @param frames the frames, each stream's in sequence order
     * @param spec   method and settings
     * @return the hops, each stream's in sequence order, tail last
     */
    public static SingleOutputStreamOperator<PcmHop> invert(DataStream<Frame> frames, InverterSpec spec) {
        return invert(frames, spec, StateMode.CACHED);
    }

    /**
     * As {@link #invert(DataStream, InverterSpec)} with the given state mode.
     *
     * @param frames the frames
     * @param spec   method and settings
     * @param mode   where each frame's inverter comes from
     * @return the hops
     */
    public static SingleOutputStreamOperator<PcmHop> invert(
            DataStream<Frame> frames, InverterSpec spec, StateMode mode) {
        return frames.keyBy(f -> f.stream, Types.STRING)
                .process(new InvertFrames(spec, mode), TypeInformation.of(PcmHop.class))
                .name("phasegrad invert (" + spec.method() + ")")
                .uid(UID);
    }

    /**
     * Makes a job fail at build time if any type would fall back to Kryo: every type on the wire and in
     * state is a POJO, a primitive array or a basic type with a Flink serializer of its own.
     *
     * @param env the environment
     */
    public static void forbidGenericTypes(StreamExecutionEnvironment env) {
        Configuration c = new Configuration();
        c.set(PipelineOptions.GENERIC_TYPES, false);
        env.configure(c);
    }
}
