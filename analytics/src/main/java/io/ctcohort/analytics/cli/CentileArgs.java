package io.ctcohort.analytics.cli;

import io.ctcohort.analytics.AnalyticsException;
import io.ctcohort.analytics.centiles.CentileOptions;
import picocli.CommandLine.Option;

import java.util.List;

/** The {@code analyze} options of the centile pass (a picocli mixin; see {@link CentileOptions}). */
public final class CentileArgs {

    @Option(names = "--no-centiles",
            description = "Skip the reference centiles and exam scores (tables reference_centiles/, exam_scores/).")
    boolean noCentiles;

    @Option(names = "--centiles", paramLabel = "PCT", split = ",",
            description = "Centiles to chart, in percent (default 3,10,25,50,75,90,97).")
    List<Double> centiles;

    @Option(names = "--centile-df", paramLabel = "DF",
            description = "df of the natural cubic spline of age in the centile fits: DF - 1 interior knots at age "
                    + "quantiles (default ${DEFAULT-VALUE}).")
    int centileDf = CentileOptions.DEFAULT_SPLINE_DF;

    @Option(names = "--centile-min-n", paramLabel = "N",
            description = "Fewest exams of a structure, metric and sex for centile curves (default: enough for "
                    + CentileOptions.TAIL_EXAMS + " beyond the outermost centiles, 334 for 3 and 97); fewer get a reason.")
    int centileMinN;

    @Option(names = "--age-spline", paramLabel = "DF",
            description = "Also fit the OLS with a natural cubic spline of age (DF df) in place of the linear term and "
                    + "F-test it against the linear model: table age_spline/, curves in the report.")
    int ageSplineDf;

    /** The resolved options; bad values become an AnalyticsException naming the option. */
    public CentileOptions options() {
        try {
            double[] c = centiles == null || centiles.isEmpty() ? CentileOptions.DEFAULT_CENTILES
                    : centiles.stream().mapToDouble(Double::doubleValue).toArray();
            return new CentileOptions(!noCentiles, c, centileDf, centileMinN, CentileOptions.DEFAULT_GRID_STEP, ageSplineDf);
        } catch (IllegalArgumentException e) {
            throw new AnalyticsException("centile options: " + e.getMessage(), e);
        }
    }
}
