package io.ctcohort.engine.infer;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.ctcohort.core.CtCohortException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/** Direct input/output buffers for one batch of tiles and the ONNX tensors that wrap them (no copy). */
final class TileBuffers implements AutoCloseable {
    final int batch;
    private final int classes;
    private final int tileVoxels;
    final FloatBuffer input;
    final FloatBuffer output;
    final OnnxTensor inputTensor;
    final OnnxTensor outputTensor;

    TileBuffers(int batch, int classes, int tileVoxels, int[] patch) {
        this.batch = batch;
        this.classes = classes;
        this.tileVoxels = tileVoxels;
        long outFloats = (long) batch * classes * tileVoxels;
        if (outFloats * 4 > Integer.MAX_VALUE) {
            throw new CtCohortException("a batch of " + batch + " tiles of " + classes + " classes x "
                    + tileVoxels + " voxels exceeds 2 GiB of logits; use a smaller batch");
        }
        input = ByteBuffer.allocateDirect(batch * tileVoxels * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        output = ByteBuffer.allocateDirect((int) outFloats * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        long[] inShape = {batch, 1, patch[2], patch[1], patch[0]};
        long[] outShape = {batch, classes, patch[2], patch[1], patch[0]};
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try {
            inputTensor = OnnxTensor.createTensor(env, input, inShape);
        } catch (OrtException e) {
            throw new CtCohortException("cannot create tile tensors: " + e.getMessage(), e);
        }
        try {
            outputTensor = OnnxTensor.createTensor(env, output, outShape);
        } catch (OrtException e) {
            inputTensor.close(); // native memory: not left to a GC that may never come
            throw new CtCohortException("cannot create tile tensors: " + e.getMessage(), e);
        }
    }

    /** Puts a tile into input slot {@code slot} of the batch. */
    void put(int slot, float[] tile) {
        input.put(slot * tileVoxels, tile, 0, tileVoxels);
    }

    /** Zeroes the input slots from {@code slot} on (a last, partly filled batch). */
    void clearFrom(int slot) {
        for (int i = slot * tileVoxels, end = batch * tileVoxels; i < end; i++) {
            input.put(i, 0f);
        }
    }

    /** Where slot {@code slot}'s logits (classes x tile voxels) start in {@link #output}. */
    long outputOffset(int slot) {
        return (long) slot * classes * tileVoxels;
    }

    /** Frees the tensors' native handles ({@link TensorPool#close}). */
    @Override
    public void close() {
        inputTensor.close();
        outputTensor.close();
    }
}
