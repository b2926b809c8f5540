package io.ctcohort.analytics;

import io.ctcohort.analytics.stats.OlsAgeFit;

import java.io.Serializable;

/**
 * One row of the {@code age_effects} table: the age effect on one metric of one structure in one
 * stratum (and contrast phase). Statistics that cannot be estimated are NaN and {@code reason} says
 * why (null when all estimable). {@code phase} is {@link PhasePlan#ALL_PHASES} unless the row is one
 * phase's stratum; {@code phaseAdjustment} one of {@link PhasePlan}'s labels; the {@code *Unadjusted}
 * values are the same fit without the phase terms over the same exams (NaN unless adjusted).
 */
public record AgeEffect(String structure, String metric, String stratum, long n,
                        double spearmanRho, double spearmanP,
                        double betaAge, double seAge, double tAge, double pAge, double ciLow, double ciHigh,
                        double r2, double intercept, double pAgeBonferroni, double qAgeBh,
                        double metricSd, String reason, String phase, String phaseAdjustment,
                        double betaAgeUnadjusted, double seAgeUnadjusted, double ciLowUnadjusted,
                        double ciHighUnadjusted, double pAgeUnadjusted) implements Serializable {

    /** A row without phase treatment (phase all, adjustment none). */
    public AgeEffect(String structure, String metric, String stratum, long n, double spearmanRho, double spearmanP,
                     double betaAge, double seAge, double tAge, double pAge, double ciLow, double ciHigh, double r2,
                     double intercept, double pAgeBonferroni, double qAgeBh, double metricSd, String reason) {
        this(structure, metric, stratum, n, spearmanRho, spearmanP, betaAge, seAge, tAge, pAge, ciLow, ciHigh, r2,
                intercept, pAgeBonferroni, qAgeBh, metricSd, reason, PhasePlan.ALL_PHASES, PhasePlan.NONE,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    /** Strength used to sort the report: |t| of the age coefficient, else |rho|. */
    public double strength() {
        if (!Double.isNaN(tAge)) {
            return Math.abs(tAge);
        }
        return Double.isNaN(spearmanRho) ? -1 : Math.abs(spearmanRho);
    }

    public AgeEffect withCorrections(double bonferroni, double bh) {
        return new AgeEffect(structure, metric, stratum, n, spearmanRho, spearmanP, betaAge, seAge, tAge, pAge,
                ciLow, ciHigh, r2, intercept, bonferroni, bh, metricSd, reason, phase, phaseAdjustment,
                betaAgeUnadjusted, seAgeUnadjusted, ciLowUnadjusted, ciHighUnadjusted, pAgeUnadjusted);
    }

    /** The row with its phase treatment: pooled or one phase, its label and the unadjusted fit (or null). */
    public AgeEffect withPhase(String phase, String adjustment, OlsAgeFit.Result unadjusted) {
        double nan = Double.NaN;
        return new AgeEffect(structure, metric, stratum, n, spearmanRho, spearmanP, betaAge, seAge, tAge, pAge,
                ciLow, ciHigh, r2, intercept, pAgeBonferroni, qAgeBh, metricSd, reason, phase, adjustment,
                unadjusted == null ? nan : unadjusted.betaAge(), unadjusted == null ? nan : unadjusted.seAge(),
                unadjusted == null ? nan : unadjusted.ciLow(), unadjusted == null ? nan : unadjusted.ciHigh(),
                unadjusted == null ? nan : unadjusted.pAge());
    }
}
