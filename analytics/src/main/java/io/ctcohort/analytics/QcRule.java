package io.ctcohort.analytics;

import io.ctcohort.core.tables.Status;

import java.io.Serializable;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The quality-control rules, each defined once as a predicate over one row's values ({@link Row}) and
 * the study's limits ({@link Limits}). Both engines apply these definitions and nothing else: the
 * Spark engine as a UDF over the joined columns ({@link QualityControl}), the local engine per row as
 * it scans the Parquet files ({@code local.LocalCohort}). A row is counted under the first rule of its
 * table's list that it breaks ({@link #MEASUREMENTS}, {@link #BIOMARKERS}); {@link #code} is the name
 * the study prints and reports.
 */
public enum QcRule {
    /** No exams row for the row's exam (and model). */
    NO_EXAM_ROW {
        @Override
        boolean breaks(Row r, Limits l) {
            return r.status() == null;
        }
    },
    /** The exam's status is not {@code ok}. */
    EXAM_NOT_OK {
        @Override
        boolean breaks(Row r, Limits l) {
            return !Status.OK.value().equals(r.status());
        }
    },
    /**
     * The structure touches the volume border (likely cut off), unless it is one the limits exempt; a
     * row without a structure name is exempt only while no structure is.
     */
    TOUCHES_BORDER {
        @Override
        boolean breaks(Row r, Limits l) {
            return r.touchesBorder() && (l.borderExempt.isEmpty()
                    || (r.structure() != null && !l.borderExempt.contains(r.structure())));
        }
    },
    /** The structure was not found (voxel_count 0; null reads as 0), or the row has no structure name. */
    EMPTY {
        @Override
        boolean breaks(Row r, Limits l) {
            return r.voxelCount() <= 0 || r.structure() == null;
        }
    },
    /** volume_ml below the structure's minimum plausible volume (where the limits give one; NaN never is). */
    BELOW_MIN_VOLUME {
        @Override
        boolean breaks(Row r, Limits l) {
            Double min = r.structure() == null ? null : l.minVolumeMl.get(r.structure());
            return min != null && r.volumeMl() < min;
        }
    },
    /** A biomarker's value is null or NaN (not measurable: its reason says why), or it names no site or biomarker. */
    NO_VALUE {
        @Override
        boolean breaks(Row r, Limits l) {
            return Double.isNaN(r.value()) || r.structure() == null || r.metric() == null;
        }
    };

    /** The measurements' rules, in the order they are tried. */
    public static final List<QcRule> MEASUREMENTS = List.of(NO_EXAM_ROW, EXAM_NOT_OK, TOUCHES_BORDER, EMPTY,
            BELOW_MIN_VOLUME);
    /** The biomarkers' rules, in the order they are tried. */
    public static final List<QcRule> BIOMARKERS = List.of(NO_EXAM_ROW, EXAM_NOT_OK, NO_VALUE);

    /**
     * The values of one joined row that the rules read. A measurement row has no metric and value
     * (null, NaN); a biomarker row has its site as structure, its biomarker as metric and no voxel
     * count, volume or border flag.
     *
     * @param status        the exam's status; null where the row has no exams row
     * @param voxelCount    0 where null
     * @param volumeMl      NaN where null
     * @param touchesBorder false where null
     * @param value         NaN where null
     */
    public record Row(String status, String structure, String metric, long voxelCount, double volumeMl,
                      boolean touchesBorder, double value) {
        public static Row measurement(String status, String structure, long voxelCount, double volumeMl,
                                      boolean touchesBorder) {
            return new Row(status, structure, null, voxelCount, volumeMl, touchesBorder, Double.NaN);
        }

        public static Row biomarker(String status, String site, String biomarker, double value) {
            return new Row(status, site, biomarker, 0, Double.NaN, false, value);
        }
    }

    /** What the study's options set for the rules: the border-exempt structures and the minimum volumes. */
    public static final class Limits implements Serializable {
        private static final long serialVersionUID = 1L;
        // plain hash collections: null-tolerant lookups, serializable into the Spark UDF
        private final HashSet<String> borderExempt;
        private final HashMap<String, Double> minVolumeMl;

        public Limits(Set<String> borderExempt, Map<String, Double> minVolumeMl) {
            this.borderExempt = new HashSet<>(borderExempt);
            this.minVolumeMl = new HashMap<>(minVolumeMl);
        }

        public static Limits of(StudyOptions options) {
            return new Limits(options.borderExempt(), options.minVolumeMl());
        }
    }

    /** Whether {@code row} breaks this rule (only meaningful once the rules before it in its list passed). */
    abstract boolean breaks(Row row, Limits limits);

    /** The rule's name in the study's output, e.g. {@code below_min_volume}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The first of {@code rules} that {@code row} breaks, or null when it passes them all. */
    public static QcRule firstBroken(List<QcRule> rules, Row row, Limits limits) {
        for (QcRule rule : rules) {
            if (rule.breaks(row, limits)) {
                return rule;
            }
        }
        return null;
    }

    /** The codes of {@code rules}, in order. */
    public static List<String> codes(List<QcRule> rules) {
        return rules.stream().map(QcRule::code).toList();
    }
}
