package io.ctcohort.cli;

import io.ctcohort.core.cli.BadInputHandler;
import io.ctcohort.core.cli.CommandSet;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one entry point: {@code bin/ctcohort COMMAND} and {@code spark-submit --class io.ctcohort.cli.CtCohortCli}. */
@Command(name = "ctcohort", mixinStandardHelpOptions = true, version = "ctcohort 0.1.0",
        description = "Segment and measure every structure in every CT of a cohort, then study age effects.")
public final class CtCohortCli implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new CtCohortCli());

        // engine: one exam, no Spark
        cl.addSubcommand(new io.ctcohort.engine.cli.SegmentOneCommand());
        cl.addSubcommand(new io.ctcohort.engine.cli.StatsCommand());
        cl.addSubcommand(new io.ctcohort.engine.cli.ConvertCommand());

        // analytics
        cl.addSubcommand(new io.ctcohort.analytics.cli.AnalyzeCommand());

        // pipeline: Spark jobs
        cl.addSubcommand(new io.ctcohort.pipeline.cli.SegmentCommand());
        cl.addSubcommand(new io.ctcohort.pipeline.cli.MeasureCommand());
        cl.addSubcommand(new io.ctcohort.pipeline.cli.CatalogCommand());

        // phantoms, demo, bench: the modules above the product, where they are on the classpath
        for (CommandSet set : ServiceLoader.load(CommandSet.class)) {
            set.commands().forEach(cl::addSubcommand);
        }

        // after the subcommands: picocli installs it on those present
        return BadInputHandler.install(cl);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
