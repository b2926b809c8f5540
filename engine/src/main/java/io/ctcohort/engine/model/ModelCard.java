package io.ctcohort.engine.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;
import java.util.Map;

/**
 * The model card ({@code model.json}): everything the engine needs to run a model the way it was
 * trained. Field names are the components' names in snake_case (docs/DESIGN.md "Segmenting one exam").
 * Axis-ordered arrays ({@code target_spacing_mm}, {@code patch_size}) are in canonical RAS voxel order x, y, z.
 *
 * <p>A multi-part model (TotalSegmentator's {@code total} is five nnU-Net models) lists {@code parts},
 * each its own ONNX file with its own channel -> structure labels; {@code labels} is then the merged
 * map that the parts' structure names are looked up in. Unknown fields are ignored so that cards
 * written by newer tools still load.
 *
 * <p>Optional fields are null when the card leaves them out; {@link ResolvedCard} applies their
 * defaults, once, where the directory is loaded.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelCard(
        String id, String version, String description, String sha256,
        String onnxFile, String inputName, String outputName, Map<String, String> labels,
        double[] targetSpacingMm, int[] patchSize, Double tileStep, Boolean mirroring, int[] mirrorAxes,
        Integer resamplingOrder, String labelResampling, Normalization normalization,
        List<Part> parts, JsonNode training) {

    /** CT normalization as nnU-Net's CTNormalization: clip to [clip_low, clip_high], then (v - mean) / std. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Normalization(String type, double clipLow, double clipHigh, double mean, double std) {
    }

    /**
     * One network of a multi-part model. {@code labels} maps this network's output channel to a
     * structure name; input/output names and patch size default to the card's.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Part(String id, String onnxFile, String sha256, Map<String, String> labels,
                       String inputName, String outputName, int[] patchSize) {

        public String onnxFileOrDefault() {
            return onnxFile == null ? DEFAULT_ONNX_FILE : onnxFile;
        }
    }

    /** The ONNX file of a card or part that names none. */
    public static final String DEFAULT_ONNX_FILE = "model.onnx";

    /** How the label map goes back from model resolution to the CT's grid (see LabelRestore). */
    public enum LabelResampling {
        /** TotalSegmentator's order 0: the label of the nearest model voxel. */
        NEAREST,
        /** One-hot labels interpolated trilinearly, the heaviest wins. */
        LINEAR;

        /** The value named in a card ("nearest", "linear"), or null when it names none of them. */
        public static LabelResampling parse(String name) {
            for (LabelResampling r : values()) {
                if (r.name().equalsIgnoreCase(name)) {
                    return r;
                }
            }
            return null;
        }
    }

    public String onnxFileOrDefault() {
        return onnxFile == null ? DEFAULT_ONNX_FILE : onnxFile;
    }

    public boolean isMultiPart() {
        return parts != null && !parts.isEmpty();
    }
}
