package io.ctcohort.pipeline.cli;

import io.ctcohort.core.cli.BadInputHandler;

/** The Spark job commands report bad input as "error: ...", as they always have. */
interface JobErrors extends BadInputHandler.Prefixed {
    @Override
    default String errorPrefix() {
        return "error: ";
    }
}
