package io.ctcohort.analytics.validation;

import io.ctcohort.core.tables.Columns;
import io.ctcohort.core.tables.MeasurementsTable;
import io.ctcohort.core.tables.Status;
import io.ctcohort.core.tables.ValidationTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * The validation exams of one model as the analytics use them: the paired values of every metric
 * and the Dice of every structure. A pair enters only where both masks hold the structure and both
 * values are finite (an absent structure has no HU, and a volume of 0 against a real one is a
 * detection failure, which the Dice shows, not a calibration point). Failed validations
 * ({@code status} failed) hold nothing.
 */
public final class ValidationSet {
    private final List<ValidationPair> pairs;
    private final List<ExamDice> dice;
    private final Map<List<String>, List<ValidationPair>> byStructureAndMetric;

    public ValidationSet(List<ValidationPair> pairs, List<ExamDice> dice) {
        this.pairs = List.copyOf(pairs);
        this.dice = List.copyOf(dice);
        this.byStructureAndMetric = this.pairs.stream()
                .collect(Collectors.groupingBy(p -> List.of(p.structure(), p.metric())));
    }

    public List<ValidationPair> pairs() {
        return pairs;
    }

    public List<ExamDice> dice() {
        return dice;
    }

    /**
     * From rows of the {@code validation} table (of one model), read by column name: through the
     * row's own schema where it has one (rows read from Parquet), else {@link ValidationTable#SCHEMA}.
     */
    public static ValidationSet fromRows(List<Row> rows) {
        List<ValidationPair> pairs = new ArrayList<>();
        List<ExamDice> dice = new ArrayList<>();
        for (Row row : rows) {
            Named r = new Named(row);
            if (!Status.OK.value().equals(r.getAs(Columns.STATUS)) || r.getAs(Columns.STRUCTURE) == null) {
                continue;
            }
            String exam = r.getAs(Columns.EXAM_ID);
            String structure = r.getAs(Columns.STRUCTURE);
            Double d = r.getAs(ValidationTable.DICE);
            if (d != null && Double.isFinite(d)) {
                dice.add(new ExamDice(exam, structure, d));
            }
            if (!present(r.getAs(MeasurementsTable.VOXEL_COUNT))
                    || !present(r.getAs(ValidationTable.VOXEL_COUNT_REFERENCE))) {
                continue;
            }
            for (String metric : ValidationTable.METRICS) {
                Double m = r.getAs(metric);
                Double ref = r.getAs(ValidationTable.reference(metric));
                if (m != null && ref != null && Double.isFinite(m) && Double.isFinite(ref)) {
                    pairs.add(new ValidationPair(exam, structure, metric, m, ref));
                }
            }
        }
        return new ValidationSet(pairs, dice);
    }

    /** A row read by column name. */
    private record Named(Row row) {
        @SuppressWarnings("unchecked")
        <T> T getAs(String column) {
            StructType schema = row.schema() != null ? row.schema() : ValidationTable.SCHEMA;
            return (T) row.get(schema.fieldIndex(column));
        }
    }

    private static boolean present(Long voxels) {
        return voxels != null && voxels > 0;
    }

    /** The pairs of one structure and metric, in table order. */
    public List<ValidationPair> pairs(String structure, String metric) {
        return byStructureAndMetric.getOrDefault(List.of(structure, metric), List.of());
    }

    /** The pairs as two arrays: {@code [0]} the model's values, {@code [1]} the reference's. */
    public static double[][] columns(List<ValidationPair> pairs) {
        double[][] out = new double[2][pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            out[0][i] = pairs.get(i).model();
            out[1][i] = pairs.get(i).reference();
        }
        return out;
    }

    /** Dice values of one structure. */
    public double[] dice(String structure) {
        return dice.stream().filter(d -> Objects.equals(d.structure(), structure)).mapToDouble(ExamDice::dice)
                .toArray();
    }
}
