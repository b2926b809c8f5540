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

    /**
     * The exams at {@code rows} (repeats allowed): one bootstrap resample. A design column after age that
     * is constant in the resample (a phase or a sex it drew no exam of) is dropped: it has nothing to
     * estimate there, and keeping it would make the design collinear.
     */
    public CalibrationData resample(int[] rows) {
        double[] m = new double[rows.length];
        double[] r = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            m[i] = model[rows[i]];
            r[i] = reference[rows[i]];
        }
        if (covariates == null) {
            return new CalibrationData(m, r, null);
        }
        int k = rows.length == 0 ? 0 : covariates[0].length;
        boolean[] keep = new boolean[k];
        int kept = 0;
        for (int j = 0; j < k; j++) {
            for (int i = 1; i < rows.length && !keep[j]; i++) {
                keep[j] = j == 0 || covariates[rows[i]][j] != covariates[rows[0]][j];
            }
            keep[j] |= j == 0;
            kept += keep[j] ? 1 : 0;
        }
        double[][] x = new double[rows.length][kept];
        for (int i = 0; i < rows.length; i++) {
            int c = 0;
            for (int j = 0; j < k; j++) {
                if (keep[j]) {
                    x[i][c++] = covariates[rows[i]][j];
                }
            }
        }
        return new CalibrationData(m, r, x);
    }
}
