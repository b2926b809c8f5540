package io.ctcohort.engine.cli;

import io.ctcohort.core.cli.CommandSet;
import java.util.List;

/** {@code synth} and {@code evaluate-model}, on the command line wherever the phantoms module is. */
public final class PhantomCommands implements CommandSet {
    @Override
    public List<Object> commands() {
        return List.of(new SynthCommand(), new EvaluateModelCommand());
    }
}
