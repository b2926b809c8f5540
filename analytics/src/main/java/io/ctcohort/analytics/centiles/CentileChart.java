package io.ctcohort.analytics.centiles;

import java.io.Serializable;
import java.util.List;

/**
 * What the report's fan chart of one structure draws: per metric and sex the rearranged centile
 * curves at whole years of age and, with --age-spline, the OLS spline curve of the mean.
 *
 * @param panels one per metric and sex (F, M)
 */
public record CentileChart(String structure, List<Panel> panels) implements Serializable {

    /**
     * @param reason     why there are no centile curves (null when there are)
     * @param centiles   percent
     * @param values     values[centile][age index]
     * @param meanAge    ages of the OLS spline curve (empty without --age-spline)
     * @param meanValue  its fitted mean
     * @param pNonlinear the F test's p of that curve against a straight line (NaN without)
     */
    public record Panel(String metric, String sex, long n, String reason, double[] centiles, double[] ages,
                        double[][] values, double[] meanAge, double[] meanValue, double pNonlinear)
            implements Serializable {
    }

    public Panel panel(String metric, String sex) {
        for (Panel p : panels) {
            if (p.metric().equals(metric) && p.sex().equals(sex)) {
                return p;
            }
        }
        return null;
    }
}
