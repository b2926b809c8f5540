package io.ctcohort.analytics.validation;

import java.io.Serializable;

/**
 * One row of the {@code validation_summary} table: agreement of the model with the reference on one
 * metric of one structure (docs/DESIGN.md "Validation and calibration"). NaN where not estimable,
 * with {@code reason}; {@code flag} names what falls outside the configured ranges.
 */
public record AgreementSummary(String structure, String metric, long n, long nDice, double diceMean, double diceP05,
                               double bias, double sdDifference, double loaLow, double loaHigh,
                               double calibrationSlope, double calibrationSlopeSe, double calibrationIntercept,
                               double calibrationInterceptSe, String flag, String reason) implements Serializable {
}
