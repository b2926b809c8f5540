package io.ctcohort.engine.dicom.codec;

/**
 * What a decoder needs to know of one frame, from the data set's image pixel module.
 *
 * @param rows            (0028,0010)
 * @param columns         (0028,0011)
 * @param bitsAllocated   (0028,0100): 8 or 16
 * @param bitsStored      (0028,0101)
 * @param signed          (0028,0103) PixelRepresentation == 1
 */
public record FrameFormat(int rows, int columns, int bitsAllocated, int bitsStored, boolean signed) {
    public int pixels() {
        return rows * columns;
    }
}
