package io.ctcohort.analytics.calibration;

/**
 * The validation exams one calibration is fitted on: the model's and the reference's values and, for
 * the conditional model, each exam's design row (age first, then the study's other terms; null for
 * the reference-only model).
 */
public record CalibrationData(double[] model, double[] reference, double[][] covariates) {

    public int n() {
        return model.length;
    }

    public CalibrationFit fit() {
        return covariates == null ? CalibrationFit.fit(model, reference)
                : CalibrationFit.fit(model, reference, covariates);
    }

    /** The exams at {@code rows} (repeats allowed): one bootstrap resample. */
    public CalibrationData resample(int[] rows) {
        double[] m = new double[rows.length];
        double[] r = new double[rows.length];
        double[][] x = covariates == null ? null : new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            m[i] = model[rows[i]];
            r[i] = reference[rows[i]];
            if (x != null) {
                x[i] = covariates[rows[i]];
            }
        }
        return new CalibrationData(m, r, x);
    }
}
