package io.ctcohort.pipeline.cli;

import io.ctcohort.core.cli.CommandSet;
import java.util.List;

/** {@code demo}, on the command line wherever the demo module is. */
public final class DemoCommands implements CommandSet {
    @Override
    public List<Object> commands() {
        return List.of(new DemoCommand());
    }
}
