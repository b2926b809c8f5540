package io.ctcohort.pipeline.cli;

import io.ctcohort.pipeline.privacy.DatePolicy;
import picocli.CommandLine.Option;

/**
 * The keyed pseudonyms' options, shared by {@code catalog}, {@code segment} and {@code measure} (a
 * picocli mixin): one key gives the same pseudonyms and date shifts in every command. Each command
 * resolves them with its own {@code --keep-identifiers} ({@code Deidentification.forCatalog},
 * {@code forJob}).
 */
public final class PseudonymOptions {
    @Option(names = "--pseudonym-key", paramLabel = "FILE|URI",
            description = "Key of the pseudonyms (a path, file://, hdfs://, s3a://; created owner-only if absent): "
                    + "patient, study (exam) and series ids become keyed pseudonyms (HMAC-SHA-256), the same on "
                    + "every run and in every command with the same key; ages over 89 become 90; dates follow --dates.")
    String key;

    @Option(names = "--dates", paramLabel = "shift|year|keep",
            description = "Dates: shift (the default with --pseudonym-key, which it needs) moves every date of a "
                    + "patient by a keyed offset of 1-365 days, so intervals within a patient are kept; year keeps "
                    + "the year only; keep keeps the date (the default without a key).")
    String dates;

    /** The key's location; null when none was given. */
    public String key() {
        return key;
    }

    /** {@code --dates} parsed; null when not given (the default depends on the key). */
    public DatePolicy dates() {
        return dates == null ? null : DatePolicy.parse(dates);
    }
}
