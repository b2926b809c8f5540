package io.ctcohort.core.cli;

import java.util.List;

/**
 * The commands a module above the product (phantoms, demo, bench) adds to the one command line,
 * found with {@link java.util.ServiceLoader} (listed in its {@code META-INF/services}): bin/ctcohort,
 * whose classpath holds every module, offers them all; the spark-submit application jar, which
 * holds only the product, offers none of them.
 */
public interface CommandSet {
    /** picocli command objects, in the order they are listed. */
    List<Object> commands();
}
