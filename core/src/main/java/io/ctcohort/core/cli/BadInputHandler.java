package io.ctcohort.core.cli;

import io.ctcohort.core.CtCohortException;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * What every command does with bad input, in one place: a {@link CtCohortException} (its message
 * names the file and the problem) is printed as one line on stderr, without a stack trace, and the
 * command exits {@link #EXIT_BAD_INPUT}. Anything else propagates as picocli would handle it.
 * The line starts "ctcohort COMMAND: ", or with the command's own {@link Prefixed#errorPrefix()}.
 */
public final class BadInputHandler implements CommandLine.IExecutionExceptionHandler {
    public static final int EXIT_BAD_INPUT = 2;

    /** A command whose bad-input lines start with a prefix of its own. */
    public interface Prefixed {
        String errorPrefix();
    }

    /** A command line for {@code command} (and the subcommands it has now) with this handler installed. */
    public static CommandLine commandLine(Object command) {
        return install(new CommandLine(command));
    }

    /** Installs the handler on {@code cl} and the subcommands it has now. */
    public static CommandLine install(CommandLine cl) {
        return cl.setExecutionExceptionHandler(new BadInputHandler());
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) throws Exception {
        if (!(e instanceof CtCohortException)) {
            throw e;
        }
        Object command = cl.getCommand();
        String prefix = command instanceof Prefixed p ? p.errorPrefix() : "ctcohort " + cl.getCommandName() + ": ";
        PrintWriter err = cl.getErr();
        err.println(prefix + e.getMessage());
        err.flush();
        return EXIT_BAD_INPUT;
    }
}
