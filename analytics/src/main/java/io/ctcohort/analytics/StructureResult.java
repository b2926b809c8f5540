package io.ctcohort.analytics;

import io.ctcohort.analytics.report.PlotData;

import java.io.Serializable;
import java.util.List;

/** Everything the per-structure pass computes for one structure (effects before multiple-testing correction). */
public record StructureResult(String structure, List<AgeEffect> effects, List<AgeGroupRow> ageGroups, PlotData plot)
        implements Serializable {
}
