package io.ctcohort.analytics;

import java.io.Serializable;

/**
 * One row of the {@code age_groups} table: a metric of a structure summarized within one sex
 * (F, M or all) and one age group of a grouping ({@code quartile}: Q1..Q4, {@code decade}: e.g. "40-49").
 * age_min and age_max are the youngest and oldest age observed in the group; sd is the sample SD
 * (NaN for n = 1), median interpolates linearly between the middle values.
 */
public record AgeGroupRow(String structure, String metric, String sex, String grouping, String ageGroup,
                          double ageMin, double ageMax, long n, double mean, double sd, double median)
        implements Serializable {
}
