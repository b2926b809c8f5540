package io.ctcohort.pipeline.catalog;

import io.ctcohort.core.tables.SeriesTable;
import io.ctcohort.pipeline.manifest.ContrastColumns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The catalog's SQL over the {@code catalog_files} and {@code catalog_series} views: files to
 * series, the selection of one series per study ({@link SelectionRules}), and the manifest.
 * Values that one series shares are taken with min(), which is deterministic where first() is not.
 * An unreadable file is a group of its own (its error), so that the files are scanned once.
 * The series table's columns are {@link SeriesTable}'s, in its order.
 */
final class SeriesQueries {
    private SeriesQueries() {
    }

    static String series(SelectionRules rules) {
        return String.format(Locale.ROOT, """
                WITH grouped AS (
                  SELECT study_instance_uid, series_instance_uid,
                    min(patient_id) AS patient_id, min(sex) AS sex, min(age) AS age, min(study_date) AS study_date,
                    min(modality) AS modality, min(series_description) AS series_description,
                    min(image_type) AS image_type, min(convolution_kernel) AS convolution_kernel,
                    min(kernel_class) AS kernel_class, min(slice_thickness) AS slice_thickness,
                    CASE WHEN count_if(NOT is_localizer) > 1 THEN
                      (max(CASE WHEN NOT is_localizer THEN position END)
                       - min(CASE WHEN NOT is_localizer THEN position END)) / (count_if(NOT is_localizer) - 1)
                    END AS slice_spacing,
                    min(rows) AS rows, min(columns) AS columns, min(pixel_spacing) AS pixel_spacing,
                    CAST(count(*) AS INT) AS instance_count, CAST(count_if(is_localizer) AS INT) AS localizer_count,
                    min(orientation) AS orientation, min(contrast_agent) AS contrast_agent,
                    min(contrast_route) AS contrast_route,
                    min(body_part) AS body_part, min(manufacturer) AS manufacturer, min(kvp) AS kvp,
                    min(transfer_syntax_uid) AS transfer_syntax_uid, min(series_number) AS series_number,
                    common_folder(min(folder), max(folder)) AS folder, sum(size_bytes) AS size_bytes,
                    min(error) AS error, min(file) AS file
                  FROM catalog_files
                  WHERE dicom AND (error IS NOT NULL OR series_instance_uid IS NOT NULL)
                  GROUP BY study_instance_uid, series_instance_uid, CASE WHEN error IS NOT NULL THEN file END
                ), eligible AS (
                  SELECT *,
                    CASE WHEN error IS NULL THEN concat(folder, '#', series_instance_uid) ELSE file END AS image_uri,
                    %s AS eligible
                  FROM grouped
                ), ranked AS (
                  SELECT *, %s AS selected
                  FROM eligible
                )
                SELECT %s
                FROM ranked
                """, eligible(rules), selected(rules), String.join(", ", SeriesTable.SCHEMA.fieldNames()));
    }

    /** Whether a series (a row of the series table) may be chosen: {@link SelectionRules}. */
    private static String eligible(SelectionRules rules) {
        return String.format(Locale.ROOT, """
                coalesce(error IS NULL AND study_instance_uid IS NOT NULL AND modality = 'CT'
                  AND startswith(upper(image_type), 'ORIGINAL\\\\PRIMARY') AND NOT contains(upper(image_type), 'LOCALIZER')
                  AND orientation = 'axial' AND instance_count - localizer_count >= %d, false)""", rules.minSlices());
    }

    /** True for the one series per study the manifest takes, over rows with an {@code eligible} column. */
    private static String selected(SelectionRules rules) {
        return String.format(Locale.ROOT, """
                eligible AND row_number() OVER (
                  PARTITION BY study_instance_uid
                  ORDER BY eligible DESC,
                    CASE kernel_class WHEN 'soft' THEN 0 WHEN 'unknown' THEN 1 ELSE 2 END,
                    CASE WHEN slice_thickness BETWEEN %s AND %s THEN 0 ELSE 1 END,
                    slice_thickness ASC NULLS LAST, instance_count DESC, series_number ASC NULLS LAST,
                    series_instance_uid) = 1""", Double.toString(rules.minThicknessMm()),
                Double.toString(rules.maxThicknessMm()));
    }

    /**
     * The selection again, over the series table's rows in view {@code view} (an incremental
     * catalog's carried and new rows together). The rows' ids are as written (pseudonyms under a
     * key), so ties that reach the series UID break by its pseudonym, the same way on every run.
     */
    static String reselect(SelectionRules rules, String view) {
        List<String> columns = new ArrayList<>(Arrays.asList(SeriesTable.SCHEMA.fieldNames()));
        columns.set(columns.indexOf(SeriesTable.SELECTED), selected(rules) + " AS " + SeriesTable.SELECTED);
        return "SELECT " + String.join(", ", columns) + "\nFROM (SELECT *, " + eligible(rules) + " AS eligible FROM "
                + view + ")";
    }

    static final String COUNTS = """
            SELECT count_if(error IS NULL) AS series, count(DISTINCT study_instance_uid) AS studies,
              count_if(selected) AS selected
            FROM catalog_series
            """;

    /** The manifest segment takes: with what DICOM says of contrast, a phase hint ({@link ContrastColumns}). */
    static final String MANIFEST = """
            SELECT study_instance_uid AS exam_id, image_uri, patient_id, age, sex, study_date,
              series_instance_uid, series_description, convolution_kernel, slice_thickness,
              contrast_agent AS %s, contrast_route AS %s
            FROM catalog_series WHERE selected
            ORDER BY exam_id
            """.formatted(ContrastColumns.AGENT_DICOM, ContrastColumns.ROUTE_DICOM);
}
