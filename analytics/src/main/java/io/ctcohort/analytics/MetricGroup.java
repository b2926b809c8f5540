package io.ctcohort.analytics;

import java.io.Serializable;
import java.util.Comparator;
import java.util.List;

/**
 * What one per-structure pass analyses: a structure and the metrics its subjects carry, in the
 * order of {@link Subject#values()}. A measured structure carries {@link Metric}'s volume_ml and
 * hu_mean; a biomarker is analysed as structure = its site and metric = its name (e.g. vertebrae_L1,
 * trabecular_hu), one group per (site, biomarker).
 */
public record MetricGroup(String structure, List<String> metrics, boolean biomarker) implements Serializable {
    private static final List<String> MEASURED = java.util.Arrays.stream(Metric.values()).map(Metric::column).toList();

    /** Structures first by name; at one name the measurements before the biomarkers, these by name. */
    public static final Comparator<MetricGroup> ORDER = Comparator.comparing(MetricGroup::structure)
            .thenComparing((MetricGroup g) -> g.biomarker())
            .thenComparing((MetricGroup g) -> g.metrics().get(0));

    public MetricGroup {
        metrics = List.copyOf(metrics);
    }

    public static MetricGroup measured(String structure) {
        return new MetricGroup(structure, MEASURED, false);
    }

    public static MetricGroup biomarker(String site, String biomarker) {
        return new MetricGroup(site, List.of(biomarker), true);
    }

    /** The Spark grouping key of a biomarker group (site and name cannot hold a NUL). */
    public static String biomarkerKey(String site, String biomarker) {
        return site + '\u0000' + biomarker;
    }

    public static MetricGroup ofBiomarkerKey(String key) {
        int i = key.indexOf('\u0000');
        return biomarker(key.substring(0, i), key.substring(i + 1));
    }
}
