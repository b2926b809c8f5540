package io.ctcohort.pipeline.cli;

import io.ctcohort.engine.labels.LabelMap;
import io.ctcohort.pipeline.exam.ExamAnalyzer;
import io.ctcohort.pipeline.exam.MeasureAnalyzer;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ctcohort measure}: the same tables from existing label maps (manifest column mask_uri). */
@Command(name = "measure", mixinStandardHelpOptions = true,
        description = {"Measure every structure of existing label maps (manifest columns exam_id, image_uri, mask_uri).",
            "Writes the same tables as segment; an optional reference_mask_uri column fills the validation table."})
public final class MeasureCommand extends JobCommand {
    @Mixin
    JobOptions options;

    @Option(names = "--labels", defaultValue = "total", paramLabel = "L",
            description = "Label map of the masks: total, total_v1, or a TSV file (label<TAB>structure). Default: ${DEFAULT-VALUE}.")
    String labels;

    @Option(names = "--model-id", paramLabel = "ID",
            description = "model_id for the rows (default: masks:<labels>), e.g. the tool that made the masks.")
    String modelId;

    @Override
    JobOptions options() {
        return options;
    }

    @Override
    ExamAnalyzer analyzer(SparkSession spark) {
        LabelMap map = LabelMap.resolve(labels); // read on the driver; the table travels with the analyzer
        String name = labels.contains("/") ? java.nio.file.Paths.get(labels).getFileName().toString() : labels;
        return new MeasureAnalyzer(map, modelId != null ? modelId : "masks:" + name);
    }
}
