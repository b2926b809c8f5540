package io.ctcohort.analytics;

import io.ctcohort.analytics.report.PlotData;

import java.io.Serializable;
import java.util.List;

/**
 * Everything the per-structure pass computes for one group (effects before multiple-testing
 * correction); {@code plot} is null for biomarkers and without a report.
 */
public record StructureResult(MetricGroup group, List<AgeEffect> effects, List<AgeGroupRow> ageGroups, PlotData plot)
        implements Serializable {
    public String structure() {
        return group.structure();
    }
}
