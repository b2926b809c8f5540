package io.ctcohort.analytics.validation;

import java.io.Serializable;

/**
 * A validation exam's values of the study's design, as QC passes them (sex F or M, a known phase or
 * null, covariates in the study's order, NaN where missing): what a calibration conditional on the
 * study's covariates regresses on beside the reference.
 */
public record ValidationExam(String examId, double age, String sex, double[] covariates, String phase)
        implements Serializable {
}
