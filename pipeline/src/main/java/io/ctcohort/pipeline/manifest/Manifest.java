package io.ctcohort.pipeline.manifest;

import io.ctcohort.core.tables.Columns;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A validated manifest: exams with their image (and, for {@code measure}, mask) URIs and the
 * columns that pass through to the {@code exams} table unchanged (patient_id, age, sex, ...).
 *
 * @param passThrough the manifest's columns other than exam_id and contrast_phase (an input, see
 *                    {@link ContrastColumns}), in file order (image_uri and mask_uri included: they are
 *                    part of what a researcher cited)
 */
public record Manifest(String source, StructType passThrough, List<ManifestEntry> entries) {
    public static final String EXAM_ID = Columns.EXAM_ID;
    public static final String IMAGE_URI = Columns.IMAGE_URI;
    public static final String MASK_URI = "mask_uri";
    /** Optional: a reference label map of the exam's CT, which makes it a validation exam (docs/DESIGN.md). */
    public static final String REFERENCE_MASK_URI = "reference_mask_uri";

    public int size() {
        return entries.size();
    }

    /** exam_id followed by the pass-through columns: the left side of the {@code exams} table. */
    public StructType schema() {
        StructType s = new StructType().add(EXAM_ID, DataTypes.StringType, false);
        for (StructField f : passThrough.fields()) {
            s = s.add(f);
        }
        return s;
    }

    /** The same exams without the named pass-through columns (those that stay with the data custodian). */
    public Manifest without(java.util.Set<String> columns) {
        List<Integer> keep = new ArrayList<>();
        StructType pass = new StructType();
        for (int i = 0; i < passThrough.fields().length; i++) {
            StructField f = passThrough.fields()[i];
            if (!columns.contains(f.name().toLowerCase(java.util.Locale.ROOT))) {
                keep.add(i);
                pass = pass.add(f);
            }
        }
        List<ManifestEntry> kept = new ArrayList<>(entries.size());
        for (ManifestEntry e : entries) {
            Object[] v = new Object[keep.size()];
            for (int k = 0; k < v.length; k++) {
                v[k] = e.values()[keep.get(k)];
            }
            kept.add(e.with(e.examId(), v));
        }
        return new Manifest(source, pass, kept);
    }

    public Dataset<Row> toDataFrame(SparkSession spark) {
        // In slices: a local relation of a million rows made tasks of tens of MB, serialized anew by every
        // query that read it.
        return RowSlices.of(spark, entries, e -> {
            Object[] v = new Object[e.values().length + 1];
            v[0] = e.examId();
            System.arraycopy(e.values(), 0, v, 1, e.values().length);
            return RowFactory.create(v);
        }, schema());
    }
}
