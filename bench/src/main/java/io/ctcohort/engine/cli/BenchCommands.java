package io.ctcohort.engine.cli;

import io.ctcohort.core.cli.CommandSet;
import java.util.List;

/** {@code bench}, on the command line wherever the bench module is ({@code bench-scale} is bin/ctcohort's). */
public final class BenchCommands implements CommandSet {
    @Override
    public List<Object> commands() {
        return List.of(new BenchCommand());
    }
}
