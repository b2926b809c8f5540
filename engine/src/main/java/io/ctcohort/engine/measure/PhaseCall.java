package io.ctcohort.engine.measure;

import java.io.Serializable;
import java.util.Objects;

/**
 * An exam's contrast phase and where it came from; {@code reason} says why the phase is
 * {@link ContrastPhase#UNKNOWN} (null otherwise).
 */
public record PhaseCall(ContrastPhase phase, PhaseSource source, String reason) implements Serializable {
    public PhaseCall {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(source, "source");
    }

    public boolean known() {
        return phase != ContrastPhase.UNKNOWN;
    }
}
