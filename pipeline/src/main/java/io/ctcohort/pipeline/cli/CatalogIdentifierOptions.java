package io.ctcohort.pipeline.cli;

import io.ctcohort.core.CtCohortException;
import io.ctcohort.pipeline.privacy.Deidentification;
import java.io.PrintStream;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code catalog}'s identifier options (a picocli mixin): keyed pseudonyms or the archive's originals,
 * and the pseudonym-to-original linkage table; checked together before Spark starts.
 */
final class CatalogIdentifierOptions {
    @Option(names = "--linkage-out", paramLabel = "URI",
            description = "Also write pseudonym -> original ids (Parquet) here; refused inside OUT.")
    String linkageOut;

    @Option(names = "--keep-identifiers",
            description = "Write the archive's original patient ids, UIDs, dates and ages: for a catalog that "
                    + "stays inside the data custodian's walls.")
    boolean keepIdentifiers;

    @Mixin
    PseudonymOptions pseudonyms = new PseudonymOptions();

    /**
     * Refuses, before Spark starts, a catalog without pseudonyms or --keep-identifiers, a linkage table
     * that cannot be written and a bad {@code --dates}.
     */
    void check(boolean incremental) {
        if (pseudonyms.key() == null && !keepIdentifiers) {
            // Deidentification.forCatalog says why.
            Deidentification.forCatalog(null, false, null, null, System.err);
        }
        if (linkageOut != null && incremental) {
            throw new CtCohortException("--linkage-out is not supported with --incremental yet");
        }
        if (linkageOut != null && pseudonyms.key() == null) {
            throw new CtCohortException("--linkage-out needs --pseudonym-key");
        }
        pseudonyms.dates();
    }

    Deidentification resolve(Configuration conf, PrintStream log) {
        return Deidentification.forCatalog(pseudonyms.key(), keepIdentifiers, pseudonyms.dates(), conf, log);
    }
}
