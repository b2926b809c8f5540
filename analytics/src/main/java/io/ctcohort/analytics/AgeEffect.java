package io.ctcohort.analytics;

import java.io.Serializable;

/**
 * One row of the {@code age_effects} table: the age effect on one metric of one structure in one
 * stratum. Statistics that cannot be estimated are NaN and {@code reason} says why (null when all
 * estimable).
 */
public record AgeEffect(String structure, String metric, String stratum, long n,
                        double spearmanRho, double spearmanP,
                        double betaAge, double seAge, double tAge, double pAge, double ciLow, double ciHigh,
                        double r2, double intercept, double pAgeBonferroni, double qAgeBh,
                        double metricSd, String reason) implements Serializable {

    /** Strength used to sort the report: |t| of the age coefficient, else |rho|. */
    public double strength() {
        if (!Double.isNaN(tAge)) {
            return Math.abs(tAge);
        }
        return Double.isNaN(spearmanRho) ? -1 : Math.abs(spearmanRho);
    }

    public AgeEffect withCorrections(double bonferroni, double bh) {
        return new AgeEffect(structure, metric, stratum, n, spearmanRho, spearmanP, betaAge, seAge, tAge, pAge,
                ciLow, ciHigh, r2, intercept, bonferroni, bh, metricSd, reason);
    }
}
