package io.ctcohort.analytics.local;

import io.ctcohort.analytics.AnalyticsException;
import io.ctcohort.analytics.ContrastPhases;
import io.ctcohort.analytics.MetricGroup;
import io.ctcohort.analytics.QcRule;
import io.ctcohort.analytics.QualityControl;
import io.ctcohort.analytics.StudyOptions;
import io.ctcohort.analytics.Subject;
import io.ctcohort.core.tables.BiomarkersTable;
import io.ctcohort.core.tables.ExamsTable;
import io.ctcohort.core.tables.MeasurementsTable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.DoubleStream;

import static io.ctcohort.core.tables.Columns.EXAM_ID;
import static io.ctcohort.core.tables.Columns.MODEL_ID;
import static io.ctcohort.core.tables.MeasurementsTable.TOUCHES_BORDER;

/**
 * A run's exams and measurements read without Spark, with the QC rules ({@link QcRule}, the
 * definitions the Spark engine applies too) applied in one pass over the measurements (no join: each row finds its exam in a hash map) and the passing rows
 * kept per structure in primitive arrays (exam row, volume_ml, hu_mean: 20 bytes a row). Same rules,
 * same counts, same passing rows as the Spark path; see {@link QualityControl} for the rules.
 */
final class LocalCohort {
    private static final double[] NO_COVARIATES = new double[0];
    /** The biomarkers' rules read no limits. */
    private static final QcRule.Limits NO_LIMITS = new QcRule.Limits(Set.of(), Map.of());

    // exams, one entry per exams row kept (after the --model filter)
    private final String[] examId;
    private final double[] age;
    private final String[] sex;
    private final double[][] covariates;
    private final String[] phase; // known phase (ContrastPhases.normalize), else null
    private final int[] examRank; // position of the exam row in exam_id order

    // passing rows, per structure (index into structureNames)
    private final List<String> structureNames;
    private final List<Rows> byStructure;
    final long total;
    final Map<String, Long> removed;
    // biomarker rows that passed, per (site, biomarker) in MetricGroup order; null counts: no table
    private final Map<MetricGroup, Rows> biomarkers;
    final long biomarkerTotal;
    final Map<String, Long> biomarkerRemoved;

    /** Growable columns of one structure's passing rows. */
    private static final class Rows {
        int n;
        int[] exam = new int[64];
        double[] volume = new double[64];
        double[] hu = new double[64];

        void add(int e, double v, double h) {
            if (n == exam.length) {
                int cap = n + (n >> 1) + 16;
                exam = Arrays.copyOf(exam, cap);
                volume = Arrays.copyOf(volume, cap);
                hu = Arrays.copyOf(hu, cap);
            }
            exam[n] = e;
            volume[n] = v;
            hu[n] = h;
            n++;
        }
    }

    private LocalCohort(String[] examId, double[] age, String[] sex, double[][] covariates, String[] phase,
                        List<String> structureNames, List<Rows> byStructure, long total, Map<String, Long> removed,
                        Map<MetricGroup, Rows> biomarkers, long biomarkerTotal, Map<String, Long> biomarkerRemoved) {
        this.examId = examId;
        this.age = age;
        this.sex = sex;
        this.covariates = covariates;
        this.phase = phase;
        this.structureNames = structureNames;
        this.byStructure = byStructure;
        this.total = total;
        this.removed = removed;
        this.biomarkers = biomarkers;
        this.biomarkerTotal = biomarkerTotal;
        this.biomarkerRemoved = biomarkerRemoved;
        Integer[] order = new Integer[examId.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            String x = examId[a];
            String y = examId[b];
            return x == null ? (y == null ? 0 : -1) : y == null ? 1 : x.compareTo(y);
        });
        examRank = new int[examId.length];
        for (int i = 0; i < order.length; i++) {
            examRank[order[i]] = i;
        }
    }

    /** Structures with at least one passing row, in name order. */
    List<String> structures() {
        List<String> out = new ArrayList<>();
        for (int s = 0; s < structureNames.size(); s++) {
            if (byStructure.get(s).n > 0) {
                out.add(structureNames.get(s));
            }
        }
        out.sort(null);
        return out;
    }

    /**
     * One structure's passing rows as subjects, in the study's canonical order (exam_id, then the
     * values: {@link io.ctcohort.analytics.AgeStudy#SUBJECT_ORDER}), which the Spark path sorts into too.
     */
    List<Subject> subjects(String structure) {
        return subjects(byStructure.get(structureNames.indexOf(structure)), false);
    }

    /** The biomarker groups with at least one passing row, in {@link MetricGroup#ORDER}. */
    List<MetricGroup> biomarkerGroups() {
        return biomarkers == null ? List.of() : new ArrayList<>(biomarkers.keySet());
    }

    /** A biomarker group's passing rows as subjects (one value each), in the canonical order. */
    List<Subject> subjects(MetricGroup group) {
        return subjects(biomarkers.get(group), true);
    }

    private List<Subject> subjects(Rows r, boolean biomarker) {
        long[] keys = new long[r.n];
        for (int i = 0; i < r.n; i++) {
            keys[i] = ((long) examRank[r.exam[i]] << 32) | i;
        }
        Arrays.sort(keys);
        Integer[] idx = new Integer[r.n];
        for (int i = 0; i < r.n; i++) {
            idx[i] = (int) keys[i];
        }
        // rows of one exam (a measurement listed twice): order them by their values, as the Spark path does
        for (int i = 0; i < r.n; ) {
            int j = i + 1;
            while (j < r.n && r.exam[idx[j]] == r.exam[idx[i]]) {
                j++;
            }
            if (j - i > 1) {
                Arrays.sort(idx, i, j, (a, b) -> {
                    int c = Double.compare(r.volume[a], r.volume[b]);
                    return c != 0 ? c : Double.compare(r.hu[a], r.hu[b]);
                });
            }
            i = j;
        }
        List<Subject> out = new ArrayList<>(r.n);
        for (int k = 0; k < r.n; k++) {
            int i = idx[k];
            int e = r.exam[i];
            out.add(biomarker ? new Subject(age[e], sex[e], new double[] {r.volume[i]}, covariates[e], phase[e])
                    : Subject.measured(age[e], sex[e], r.volume[i], r.hu[i], covariates[e], phase[e]));
        }
        return out;
    }

    /** Ages of the analysed exams ({@link #analysed}), one per exam. */
    double[] examAgesForCuts() {
        boolean[] used = analysed();
        double[] out = new double[examId.length];
        int n = 0;
        for (int e = 0; e < used.length; e++) {
            if (used[e]) {
                out[n++] = age[e];
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** The known phases of the analysed exams ({@link #analysed}). */
    Set<String> phasesSeen() {
        boolean[] used = analysed();
        Set<String> out = new java.util.HashSet<>();
        for (int e = 0; e < used.length; e++) {
            if (used[e] && phase[e] != null) {
                out.add(phase[e]);
            }
        }
        return out;
    }

    /** Exams with at least one passing measurement or biomarker row, an age (not NaN) and sex F or M. */
    private boolean[] analysed() {
        boolean[] used = new boolean[examId.length];
        List<Rows> all = new ArrayList<>(byStructure);
        if (biomarkers != null) {
            all.addAll(biomarkers.values());
        }
        for (Rows r : all) {
            for (int i = 0; i < r.n; i++) {
                used[r.exam[i]] = true;
            }
        }
        for (int e = 0; e < used.length; e++) {
            used[e] &= !Double.isNaN(age[e]) && ("F".equals(sex[e]) || "M".equals(sex[e]));
        }
        return used;
    }

    /** Reads and QCs; {@link ParquetColumns.Unsupported} when a column is not one the plain reader handles. */
    static LocalCohort read(Configuration conf, Path examsTable, Path measurementsTable, StudyOptions options)
            throws IOException, ParquetColumns.Unsupported {
        return read(conf, examsTable, measurementsTable, null, options);
    }

    /** @param biomarkersTable the run's biomarkers table, or null where it has none */
    static LocalCohort read(Configuration conf, Path examsTable, Path measurementsTable, Path biomarkersTable,
                            StudyOptions options) throws IOException, ParquetColumns.Unsupported {
        List<ParquetColumns.DataFile> examFiles = ParquetColumns.files(examsTable, conf);
        List<ParquetColumns.DataFile> mFiles = ParquetColumns.files(measurementsTable, conf);
        List<String> examCols = ParquetColumns.shape(examFiles.subList(0, Math.min(1, examFiles.size()))).columns();
        List<String> mCols = ParquetColumns.shape(mFiles.subList(0, Math.min(1, mFiles.size()))).columns();
        if (examFiles.isEmpty() || mFiles.isEmpty()) {
            throw new ParquetColumns.Unsupported("a table without data files");
        }
        for (String c : QualityControl.EXAM_COLUMNS) {
            require(examCols, c);
        }
        for (String c : QualityControl.MEASUREMENT_COLUMNS) {
            require(mCols, c);
        }
        for (String c : options.covariates()) {
            require(examCols, c);
        }
        boolean examsHaveModel = examCols.contains(MODEL_ID);
        boolean mHaveModel = mCols.contains(MODEL_ID);
        boolean byModel = examsHaveModel && mHaveModel;
        if (options.modelId() != null && !mHaveModel) {
            throw QualityControl.noModelColumn(options.modelId());
        }

        // exams
        ScanColumns examScan = new ScanColumns(QualityControl.EXAM_COLUMNS, List.of(ParquetColumns.Kind.STRING,
                ParquetColumns.Kind.DOUBLE, ParquetColumns.Kind.STRING, ParquetColumns.Kind.STRING));
        int nCov = options.covariates().size();
        for (String c : options.covariates()) {
            examScan.add(c, ParquetColumns.Kind.DOUBLE);
        }
        int modelCol = examsHaveModel ? examScan.add(MODEL_ID, ParquetColumns.Kind.STRING) : -1;
        int phaseCol = examCols.contains(ExamsTable.CONTRAST_PHASE)
                ? examScan.add(ExamsTable.CONTRAST_PHASE, ParquetColumns.Kind.STRING) : -1;
        List<String> phases = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<String> models = new ArrayList<>();
        List<String> statuses = new ArrayList<>();
        List<String> sexes = new ArrayList<>();
        DoubleStream.Builder ages = DoubleStream.builder();
        List<double[]> covs = new ArrayList<>();
        ParquetColumns.scan(examFiles, examScan.names, examScan.kinds, chunk -> {
            int[] id = chunk.codes(0);
            double[] a = chunk.doubles(1);
            int[] sx = chunk.codes(2);
            int[] st = chunk.codes(3);
            int[] md = modelCol < 0 ? null : chunk.codes(modelCol);
            int[] ph = phaseCol < 0 ? null : chunk.codes(phaseCol);
            for (int i = 0; i < chunk.rows; i++) {
                String model = md == null ? null : chunk.string(modelCol, md[i]);
                if (options.modelId() != null && md != null && !options.modelId().equals(model)) {
                    continue;
                }
                phases.add(ph == null ? null : ContrastPhases.normalize(chunk.string(phaseCol, ph[i])));
                ids.add(chunk.string(0, id[i]));
                models.add(model);
                ages.add(a[i]);
                sexes.add(normalizedSex(chunk.string(2, sx[i])));
                statuses.add(chunk.string(3, st[i]));
                if (nCov == 0) {
                    covs.add(NO_COVARIATES);
                } else {
                    double[] cv = new double[nCov];
                    for (int c = 0; c < nCov; c++) {
                        cv[c] = chunk.doubles(4 + c)[i];
                    }
                    covs.add(cv);
                }
            }
        });
        int nExams = ids.size();
        // one exams row per key (QualityControl.requireOneExamRowPerKey), and the lookup key -> exam row
        Map<String, Integer> rowOf = new HashMap<>(nExams * 2);
        Map<String, Integer> seen = new HashMap<>(nExams * 2);
        String firstRepeated = null;
        for (int e = 0; e < nExams; e++) {
            String key = byModel ? ids.get(e) + " / " + models.get(e) : String.valueOf(ids.get(e));
            String lookup = byModel ? ids.get(e) + '\u0000' + models.get(e) : ids.get(e);
            int count = seen.merge(key, 1, Integer::sum);
            if (count > 1 && firstRepeated == null) {
                firstRepeated = key;
            }
            if (ids.get(e) != null && (!byModel || models.get(e) != null)) {
                rowOf.put(lookup, e);
            }
        }
        if (firstRepeated != null) {
            throw new AnalyticsException(ExamsTable.NAME + ": " + (byModel ? EXAM_ID + " / " + MODEL_ID : EXAM_ID) + " " + firstRepeated
                    + " has " + seen.get(firstRepeated) + " rows"
                    + (examsHaveModel && !byModel ? "; the exams hold several models but the measurements carry no "
                    + "model_id to tell them apart" : "; each exam must appear once"));
        }

        // measurements: QC in one pass
        ScanColumns mScan = new ScanColumns(QualityControl.MEASUREMENT_COLUMNS, List.of(ParquetColumns.Kind.STRING,
                ParquetColumns.Kind.STRING, ParquetColumns.Kind.LONG, ParquetColumns.Kind.DOUBLE, ParquetColumns.Kind.DOUBLE));
        int borderCol = mCols.contains(TOUCHES_BORDER) ? mScan.add(TOUCHES_BORDER, ParquetColumns.Kind.BOOLEAN) : -1;
        int mModelCol = mHaveModel ? mScan.add(MODEL_ID, ParquetColumns.Kind.STRING) : -1;
        RuleCounts counts = new RuleCounts(QcRule.MEASUREMENTS);
        List<String> structureNames = new ArrayList<>();
        List<Rows> byStructure = new ArrayList<>();
        IntList examOfIdCode = new IntList();                 // exam_id code -> exam row (-1: none); without byModel
        Map<Long, Integer> examOfPair = new HashMap<>();       // (exam_id code, model code) -> exam row; with byModel
        ModelChoice modelChoice = new ModelChoice(MeasurementsTable.NAME, options.modelId());
        QcRule.Limits limits = QcRule.Limits.of(options);
        ParquetColumns.scan(mFiles, mScan.names, mScan.kinds, chunk -> {
            int[] id = chunk.codes(0);
            int[] st = chunk.codes(1);
            long[] voxels = chunk.longs(2);
            double[] volume = chunk.doubles(3);
            double[] hu = chunk.doubles(4);
            boolean[] border = borderCol < 0 ? null : chunk.booleans(borderCol);
            int[] md = mModelCol < 0 ? null : chunk.codes(mModelCol);
            List<String> structureDict = chunk.dictionary.get(1);
            while (structureNames.size() < structureDict.size()) {
                String s = structureDict.get(structureNames.size());
                structureNames.add(s);
                byStructure.add(new Rows());
            }
            if (!byModel) {
                List<String> idDict = chunk.dictionary.get(0);
                while (examOfIdCode.n < idDict.size()) {
                    Integer e = rowOf.get(idDict.get(examOfIdCode.n));
                    examOfIdCode.add(e == null ? -1 : e);
                }
            }
            for (int i = 0; i < chunk.rows; i++) {
                if (md != null && !modelChoice.keeps(chunk.string(mModelCol, md[i]))) {
                    continue; // the --model filter: not part of the study at all
                }
                int e;
                if (id[i] < 0) {
                    e = -1;
                } else if (!byModel) {
                    e = examOfIdCode.get(id[i]);
                } else if (md[i] < 0) {
                    e = -1;
                } else {
                    long pair = ((long) id[i] << 32) | md[i];
                    Integer row = examOfPair.get(pair);
                    if (row == null) {
                        Integer r = rowOf.get(chunk.string(0, id[i]) + '\u0000' + chunk.string(mModelCol, md[i]));
                        row = r == null ? -1 : r;
                        examOfPair.put(pair, row);
                    }
                    e = row;
                }
                int s = st[i];
                QcRule broken = QcRule.firstBroken(QcRule.MEASUREMENTS, QcRule.Row.measurement(
                        e < 0 ? null : statuses.get(e), s < 0 ? null : structureNames.get(s), voxels[i], volume[i],
                        border != null && border[i]), limits);
                if (counts.pass(broken)) {
                    byStructure.get(s).add(e, volume[i], hu[i]);
                }
            }
        });
        modelChoice.requireOne();
        Biomarkers b = biomarkersTable == null ? null
                : readBiomarkers(conf, biomarkersTable, options, byModel ? rowOf : null, byModel ? null : rowOf, statuses);
        return new LocalCohort(ids.toArray(String[]::new), ages.build().toArray(), sexes.toArray(String[]::new),
                covs.toArray(double[][]::new), phases.toArray(String[]::new), structureNames, byStructure, counts.total(),
                counts.removed(), b == null ? null : b.groups, b == null ? 0 : b.total, b == null ? null : b.removed);
    }

    /** The biomarkers' passing rows per group and the rule counts. */
    private record Biomarkers(Map<MetricGroup, Rows> groups, long total, Map<String, Long> removed) {
    }

    /**
     * {@link QcRule#BIOMARKERS} over the biomarkers table, in one pass (the definitions the Spark engine
     * applies as a UDF). Exactly one of {@code rowOfPair} (key exam_id NUL model_id, when the
     * measurements are joined by model) and {@code rowOfId} is given.
     */
    private static Biomarkers readBiomarkers(Configuration conf, Path table, StudyOptions options,
                                             Map<String, Integer> rowOfPair, Map<String, Integer> rowOfId,
                                             List<String> statuses) throws IOException, ParquetColumns.Unsupported {
        List<ParquetColumns.DataFile> files = ParquetColumns.files(table, conf);
        if (files.isEmpty()) {
            throw new ParquetColumns.Unsupported("a table without data files");
        }
        List<String> cols = ParquetColumns.shape(files.subList(0, 1)).columns();
        for (String c : QualityControl.BIOMARKER_COLUMNS) {
            require(cols, c);
        }
        boolean hasModel = cols.contains(MODEL_ID);
        if (options.modelId() != null && !hasModel) {
            throw QualityControl.noModelColumn(BiomarkersTable.NAME, options.modelId());
        }
        boolean byModel = rowOfPair != null && hasModel;
        Map<String, Integer> byId = rowOfId;
        if (rowOfId == null && !byModel) { // exams joined by model, biomarkers without one: exam_id alone
            byId = new HashMap<>();
            for (Map.Entry<String, Integer> en : rowOfPair.entrySet()) {
                byId.put(en.getKey().substring(0, en.getKey().indexOf('\u0000')), en.getValue());
            }
        }
        final Map<String, Integer> lookupId = byId;
        ScanColumns scan = new ScanColumns(QualityControl.BIOMARKER_COLUMNS, List.of(ParquetColumns.Kind.STRING,
                ParquetColumns.Kind.STRING, ParquetColumns.Kind.STRING, ParquetColumns.Kind.DOUBLE));
        int modelCol = hasModel ? scan.add(MODEL_ID, ParquetColumns.Kind.STRING) : -1;
        RuleCounts counts = new RuleCounts(QcRule.BIOMARKERS);
        Map<MetricGroup, Rows> groups = new TreeMap<>(MetricGroup.ORDER);
        ModelChoice modelChoice = new ModelChoice(BiomarkersTable.NAME, options.modelId());
        ParquetColumns.scan(files, scan.names, scan.kinds, chunk -> {
            int[] id = chunk.codes(0);
            int[] site = chunk.codes(1);
            int[] name = chunk.codes(2);
            double[] value = chunk.doubles(3);
            int[] md = modelCol < 0 ? null : chunk.codes(modelCol);
            for (int i = 0; i < chunk.rows; i++) {
                String model = md == null ? null : chunk.string(modelCol, md[i]);
                if (md != null && !modelChoice.keeps(model)) {
                    continue;
                }
                String exam = chunk.string(0, id[i]);
                Integer row = exam == null ? null : byModel
                        ? (model == null ? null : rowOfPair.get(exam + '\u0000' + model)) : lookupId.get(exam);
                int e = row == null ? -1 : row;
                QcRule broken = QcRule.firstBroken(QcRule.BIOMARKERS, QcRule.Row.biomarker(
                        e < 0 ? null : statuses.get(e), chunk.string(1, site[i]), chunk.string(2, name[i]), value[i]),
                        NO_LIMITS);
                if (counts.pass(broken)) {
                    groups.computeIfAbsent(MetricGroup.biomarker(chunk.string(1, site[i]), chunk.string(2, name[i])),
                            k -> new Rows()).add(e, value[i], Double.NaN);
                }
            }
        });
        modelChoice.requireOne();
        return new Biomarkers(groups, counts.total(), counts.removed());
    }

    private static void require(List<String> columns, String c) throws ParquetColumns.Unsupported {
        if (!columns.contains(c)) {
            throw new ParquetColumns.Unsupported("no column " + c); // Spark reports it, in its words
        }
    }

    /** As QualityControl.normalizedSex: upper(trim(sex)) (trim: spaces only), female/male/W spelled out -> F/M. */
    static String normalizedSex(String sex) {
        if (sex == null) {
            return null;
        }
        int a = 0;
        int b = sex.length();
        while (a < b && sex.charAt(a) == ' ') {
            a++;
        }
        while (b > a && sex.charAt(b - 1) == ' ') {
            b--;
        }
        String s = sex.substring(a, b).toUpperCase(java.util.Locale.ROOT);
        return switch (s) {
            case "F", "FEMALE", "W" -> "F";
            case "M", "MALE" -> "M";
            default -> s;
        };
    }

    /** The columns a scan reads and how; optional ones are added with {@link #add}, which gives their index. */
    private static final class ScanColumns {
        final List<String> names;
        final List<ParquetColumns.Kind> kinds;

        ScanColumns(List<String> names, List<ParquetColumns.Kind> kinds) {
            this.names = new ArrayList<>(names);
            this.kinds = new ArrayList<>(kinds);
        }

        int add(String name, ParquetColumns.Kind kind) {
            names.add(name);
            kinds.add(kind);
            return names.size() - 1;
        }
    }

    private static final class IntList {
        int n;
        int[] v = new int[256];

        void add(int d) {
            if (n == v.length) {
                v = Arrays.copyOf(v, n * 2);
            }
            v[n++] = d;
        }

        int get(int i) {
            return v[i];
        }
    }
}
