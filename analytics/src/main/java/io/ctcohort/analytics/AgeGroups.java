package io.ctcohort.analytics;

import io.ctcohort.core.tables.AgeGroupsTable;
import io.ctcohort.core.tables.Columns;
import io.ctcohort.core.tables.RowBuilder;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.HashMap;
import java.util.Map;


/**
 * The {@code age_groups} table: per structure, metric, sex (F, M, all) and age group, n, mean, sample
 * SD and median of the metric. Two groupings: {@code quartile} (Q1..Q4 of the ages of the exams that
 * passed QC, cut at their 25/50/75 % percentiles, linear interpolation, upper bounds inclusive) and
 * {@code decade} ("40-49"). The per-structure summaries are computed in the same per-structure pass
 * as the age effects (one shuffle, not one exact-percentile aggregation per statistic, which took a
 * minute at 4004 x 117).
 */
public final class AgeGroups {
    private AgeGroups() {
    }

    /**
     * Quartile cuts (25, 50, 75 %) of the ages of the exams in the QC output (one age per exam; the
     * caller keeps exams with an age and sex F or M): Spark SQL's {@code percentile}, i.e. linear
     * interpolation at position p (n - 1) of the sorted ages. Empty if there is no age.
     */
    public static double[] quartileCuts(double[] examAges) {
        int n = examAges.length;
        if (n == 0) {
            return new double[0];
        }
        double[] v = examAges.clone();
        Arrays.sort(v);
        double[] out = new double[3];
        for (int i = 0; i < 3; i++) {
            double position = 0.25 * (i + 1) * (n - 1);
            long lower = (long) Math.floor(position);
            long higher = (long) Math.ceil(position);
            double lo = v[(int) lower];
            double hi = v[(int) higher];
            out[i] = higher == lower || lo == hi ? lo : (higher - position) * lo + (position - lower) * hi;
        }
        return out;
    }

    static String quartile(double age, double[] cuts) {
        return "Q" + (quartileIndex(age, cuts) + 1);
    }

    static String decade(double age) {
        return decadeLabel(decadeStart(age));
    }

    /** The rows of one measured structure, in the order metric, sex, grouping, age. */
    public static List<AgeGroupRow> forStructure(String structure, List<Subject> subjects, double[] cuts) {
        return forGroup(MetricGroup.measured(structure), subjects, cuts);
    }

    /**
     * The rows of one group, in the order metric, sex, grouping, age. Every phase is pooled: the table
     * describes the exams as they are (age_effects is where phase is adjusted for).
     */
    public static List<AgeGroupRow> forGroup(MetricGroup group, List<Subject> subjects, double[] cuts) {
        String structure = group.structure();
        int n = subjects.size();
        // each subject's group in both groupings, computed once: quartile index, decade start
        int[] quartileOf = new int[n];
        int[] decadeOf = new int[n];
        for (int i = 0; i < n; i++) {
            double age = subjects.get(i).age();
            if (Double.isFinite(age)) {
                quartileOf[i] = cuts.length == 3 ? quartileIndex(age, cuts) : 0;
                decadeOf[i] = decadeStart(age);
            }
        }
        List<AgeGroupRow> out = new ArrayList<>();
        for (int metric = 0; metric < group.metrics().size(); metric++) {
            for (Stratum sex : List.of(Stratum.F, Stratum.M, Stratum.ALL)) {
                for (String grouping : List.of("quartile", "decade")) {
                    if (grouping.equals("quartile") && cuts.length != 3) {
                        continue;
                    }
                    int[] groupOf = grouping.equals("quartile") ? quartileOf : decadeOf;
                    // group -> (age, value) pairs in subject order
                    Map<Integer, Pairs> groups = new HashMap<>();
                    for (int i = 0; i < n; i++) {
                        Subject s = subjects.get(i);
                        double v = s.value(metric);
                        if (sex.includes(s.sex()) && Double.isFinite(s.age()) && Double.isFinite(v)) {
                            groups.computeIfAbsent(groupOf[i], k -> new Pairs()).add(s.age(), v);
                        }
                    }
                    List<AgeGroupRow> rows = new ArrayList<>();
                    String name = group.metrics().get(metric);
                    groups.forEach((g, pairs) -> rows.add(summarize(structure, name, sex.label(), grouping,
                            grouping.equals("quartile") ? "Q" + (g + 1) : decadeLabel(g), pairs)));
                    rows.sort((a, b) -> Double.compare(a.ageMin(), b.ageMin())); // groups are disjoint age ranges
                    out.addAll(rows);
                }
            }
        }
        return out;
    }

    private static int quartileIndex(double age, double[] cuts) {
        for (int i = 0; i < cuts.length; i++) {
            if (age <= cuts[i]) {
                return i;
            }
        }
        return 3;
    }

    private static int decadeStart(double age) {
        return (int) Math.floor(age / 10.0) * 10;
    }

    private static String decadeLabel(int start) {
        return start + "-" + (start + 9);
    }

    /** Growable (age, value) columns of one group. */
    private static final class Pairs {
        int n;
        double[] age = new double[16];
        double[] value = new double[16];

        void add(double a, double v) {
            if (n == age.length) {
                age = Arrays.copyOf(age, 2 * n);
                value = Arrays.copyOf(value, 2 * n);
            }
            age[n] = a;
            value[n] = v;
            n++;
        }
    }

    private static AgeGroupRow summarize(String structure, String metric, String sex, String grouping, String group,
                                         Pairs pairs) {
        int n = pairs.n;
        double[] v = Arrays.copyOf(pairs.value, n);
        double ageMin = Double.POSITIVE_INFINITY;
        double ageMax = Double.NEGATIVE_INFINITY;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += v[i];
            ageMin = Math.min(ageMin, pairs.age[i]);
            ageMax = Math.max(ageMax, pairs.age[i]);
        }
        double mean = sum / n;
        double ss = 0;
        for (double d : v) {
            ss += (d - mean) * (d - mean);
        }
        double median = median(v);
        return new AgeGroupRow(structure, metric, sex, grouping, group, ageMin, ageMax, n, mean,
                n > 1 ? Math.sqrt(ss / (n - 1)) : Double.NaN, median);
    }

    /**
     * The median (mean of the two middle values for even n) by selection instead of a full sort:
     * the k-th value in {@link Double#compare} order, as sorting would give it. Reorders {@code v}.
     */
    static double median(double[] v) {
        int n = v.length;
        int k = n / 2;
        select(v, k);
        if (n % 2 == 1) {
            return v[k];
        }
        double below = v[0]; // the largest of v[0..k), all of which are <= v[k] after select
        for (int i = 1; i < k; i++) {
            if (Double.compare(v[i], below) > 0) {
                below = v[i];
            }
        }
        return (below + v[k]) / 2.0;
    }

    /** Moves the k-th smallest value to v[k], smaller-or-equal ones before it, larger-or-equal after. */
    private static void select(double[] v, int k) {
        int lo = 0;
        int hi = v.length - 1;
        while (hi > lo) {
            int mid = (lo + hi) >>> 1;
            // median of three as pivot, placed at hi
            if (Double.compare(v[mid], v[lo]) < 0) {
                swap(v, mid, lo);
            }
            if (Double.compare(v[hi], v[lo]) < 0) {
                swap(v, hi, lo);
            }
            if (Double.compare(v[mid], v[hi]) < 0) {
                swap(v, mid, hi);
            }
            double pivot = v[hi];
            // three-way partition: [lo, lt) < pivot, [lt, i) == pivot, (gt, hi] > pivot
            int lt = lo;
            int gt = hi;
            int i = lo;
            while (i <= gt) {
                int c = Double.compare(v[i], pivot);
                if (c < 0) {
                    swap(v, lt++, i++);
                } else if (c > 0) {
                    swap(v, i, gt--);
                } else {
                    i++;
                }
            }
            if (k < lt) {
                hi = lt - 1;
            } else if (k > gt) {
                lo = gt + 1;
            } else {
                return;
            }
        }
    }

    private static void swap(double[] v, int i, int j) {
        double t = v[i];
        v[i] = v[j];
        v[j] = t;
    }

    /** The rows of the table, each value set by its column's name. */
    public static List<Row> rows(List<AgeGroupRow> groups) {
        List<Row> rows = new ArrayList<>(groups.size());
        for (AgeGroupRow g : groups) {
            rows.add(new RowBuilder(AgeGroupsTable.SCHEMA)
                    .set(Columns.STRUCTURE, g.structure()).set(Columns.METRIC, g.metric()).set(Columns.SEX, g.sex())
                    .set(AgeGroupsTable.GROUPING, g.grouping()).set(AgeGroupsTable.AGE_GROUP, g.ageGroup())
                    .set(AgeGroupsTable.AGE_MIN, g.ageMin()).set(AgeGroupsTable.AGE_MAX, g.ageMax())
                    .set(Columns.N, g.n()).set(AgeGroupsTable.MEAN, g.mean()).set(AgeGroupsTable.SD, g.sd())
                    .set(AgeGroupsTable.MEDIAN, g.median())
                    .row());
        }
        return rows;
    }
}
