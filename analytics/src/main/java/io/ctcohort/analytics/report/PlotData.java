package io.ctcohort.analytics.report;

import io.ctcohort.analytics.Metric;
import io.ctcohort.analytics.Subject;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * What the scatter plot of one structure draws, computed where the structure's rows are (an
 * executor): per metric and sex at most {@link #MAX_POINTS} points (every k-th) and the LOESS curve
 * of all of them. Small enough to collect for thousands of structures, whatever the cohort size.
 */
public record PlotData(String structure, Panel[] panels) implements Serializable {
    public static final int MAX_POINTS = 1500;
    static final List<String> SEXES = List.of("F", "M");

    /** Points and curve of one metric in one sex; curve arrays are empty when there is no curve. */
    public record Panel(double[] x, double[] y, double[] curveX, double[] curveY) implements Serializable {
    }

    public Panel panel(Metric metric, String sex) {
        return panels[metric.ordinal() * 2 + SEXES.indexOf(sex)];
    }

    public static PlotData of(String structure, List<Subject> subjects) {
        Panel[] panels = new Panel[Metric.values().length * 2];
        for (Metric metric : Metric.values()) {
            for (String sex : SEXES) {
                double[] x = new double[subjects.size()];
                double[] y = new double[subjects.size()];
                int n = 0;
                for (Subject s : subjects) {
                    double v = s.metric(metric);
                    if (sex.equals(s.sex()) && Double.isFinite(s.age()) && Double.isFinite(v)) {
                        x[n] = s.age();
                        y[n] = v;
                        n++;
                    }
                }
                x = Arrays.copyOf(x, n);
                y = Arrays.copyOf(y, n);
                double[][] curve = Loess.curve(x, y);
                int step = Math.max(1, (n + MAX_POINTS - 1) / MAX_POINTS);
                int kept = (n + step - 1) / step;
                double[] sx = new double[kept];
                double[] sy = new double[kept];
                for (int i = 0, j = 0; i < n; i += step, j++) {
                    sx[j] = x[i];
                    sy[j] = y[i];
                }
                panels[metric.ordinal() * 2 + SEXES.indexOf(sex)] = new Panel(sx, sy,
                        curve == null ? new double[0] : curve[0], curve == null ? new double[0] : curve[1]);
            }
        }
        return new PlotData(structure, panels);
    }
}
