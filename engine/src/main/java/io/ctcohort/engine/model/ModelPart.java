package io.ctcohort.engine.model;

import java.nio.file.Path;

/**
 * One ONNX network of a model, resolved against its directory: the file (already verified against
 * its sha256), tensor names, patch size (x, y, z) and, per output channel, the label it writes
 * into the merged map (0 = background, written nowhere).
 */
public record ModelPart(String id, Path onnxFile, String sha256, String inputName, String outputName,
                        int[] patchSize, int[] channelToLabel) {

    public int numClasses() {
        return channelToLabel.length;
    }
}
