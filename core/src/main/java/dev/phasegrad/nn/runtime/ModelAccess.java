package dev.phasegrad.nn.runtime;

import dev.phasegrad.nn.PhaseModel;
import java.util.Objects;
import java.util.function.Function;

/**
 * The runtime's view of a {@link PhaseModel}'s weights without the copy {@link PhaseModel#params()}
 * makes: the model lives in an exported package and keeps its array private, this package is not
 * exported, and a stream of a large model should not hold a copy of its weights.
 */
public final class ModelAccess {
    private static volatile Function<PhaseModel, float[]> weights;

    private ModelAccess() {}

    /** Called once, by {@link PhaseModel}'s class initialiser. */
    public static void install(Function<PhaseModel, float[]> access) {
        Objects.requireNonNull(access, "access");
        synchronized (ModelAccess.class) {
            if (weights != null) {
                throw new IllegalStateException("model access is already installed");
            }
            weights = access;
        }
    }

    /** The model's weight array itself, shared by every stream of the model: read it, never write it. */
    public static float[] sharedParams(PhaseModel model) {
        return weights.apply(model);
    }
}
