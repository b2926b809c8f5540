package io.ctcohort.engine.dicom;

import io.ctcohort.engine.dicom.DicomException.Problem;
import io.ctcohort.engine.dicom.codec.FrameFormat;
import java.util.Arrays;

/**
 * The header of one image file, checked for what placing and decoding its pixels needs.
 *
 * @param orientation ImageOrientationPatient: the row direction (increasing column index), then
 *                    the column direction (increasing row index), LPS unit vectors
 * @param position    ImagePositionPatient: LPS mm of the first transmitted pixel's centre
 * @param pixelSpacing PixelSpacing as DICOM orders it: between rows, then between columns (mm)
 */
public record DicomSlice(String file, String transferSyntaxUid, String seriesUid, String sopInstanceUid,
                         int instanceNumber, String modality, String[] imageType, int rows, int columns,
                         double[] orientation, double[] position, double[] pixelSpacing, int bitsAllocated,
                         int bitsStored, int highBit, boolean signed, double slope, double intercept, int frames) {

    /** Whether a file has an image at all (pixel module present); others are skipped. */
    public static boolean isImage(DicomAttributes a) {
        return a.has(Tag.ROWS) && a.has(Tag.COLUMNS);
    }

    /** Reads and checks the attributes of one image file. */
    public static DicomSlice of(DicomFile f) {
        DicomAttributes a = f.attributes();
        String name = f.name();
        int samples = a.uint16(Tag.SAMPLES_PER_PIXEL, 1);
        if (samples != 1) {
            throw new DicomException(name, Problem.UNSUPPORTED_IMAGE, samples
                    + " samples per pixel: not a grayscale CT image");
        }
        int bitsAllocated = a.uint16(Tag.BITS_ALLOCATED, -1);
        if (bitsAllocated != 8 && bitsAllocated != 16) {
            throw new DicomException(name, Problem.UNSUPPORTED_IMAGE, "BitsAllocated " + bitsAllocated
                    + " is not supported (8 or 16)");
        }
        int bitsStored = a.uint16(Tag.BITS_STORED, bitsAllocated);
        int highBit = a.uint16(Tag.HIGH_BIT, bitsStored - 1);
        if (bitsStored < 1 || bitsStored > bitsAllocated || highBit < bitsStored - 1 || highBit >= bitsAllocated) {
            throw new DicomException(name, Problem.UNSUPPORTED_IMAGE, "inconsistent BitsAllocated/BitsStored/HighBit "
                    + bitsAllocated + "/" + bitsStored + "/" + highBit);
        }
        double[] orientation = require(a, Tag.IMAGE_ORIENTATION_PATIENT, 6, name, "ImageOrientationPatient");
        double[] position = require(a, Tag.IMAGE_POSITION_PATIENT, 3, name, "ImagePositionPatient");
        double[] spacing = require(a, Tag.PIXEL_SPACING, 2, name, "PixelSpacing");
        if (!(spacing[0] > 0 && spacing[1] > 0)) {
            throw new DicomException(name, Problem.MALFORMED, "PixelSpacing " + Arrays.toString(spacing)
                    + " is not positive");
        }
        double slope = a.number(Tag.RESCALE_SLOPE, 1.0);
        double intercept = a.number(Tag.RESCALE_INTERCEPT, 0.0);
        if (!Double.isFinite(slope) || !Double.isFinite(intercept) || slope == 0) {
            throw new DicomException(name, Problem.MALFORMED, "RescaleSlope " + slope + " / RescaleIntercept "
                    + intercept + " cannot map stored values to HU");
        }
        String seriesUid = a.string(Tag.SERIES_INSTANCE_UID);
        if (seriesUid == null) {
            throw new DicomException(name, Problem.MISSING_ATTRIBUTE, "no SeriesInstanceUID (0020,000E)");
        }
        return new DicomSlice(name, f.transferSyntaxUid(), seriesUid, a.string(Tag.SOP_INSTANCE_UID),
                (int) a.number(Tag.INSTANCE_NUMBER, 0), a.string(Tag.MODALITY), a.strings(Tag.IMAGE_TYPE),
                a.uint16(Tag.ROWS, 0), a.uint16(Tag.COLUMNS, 0), orientation, position, spacing, bitsAllocated,
                bitsStored, highBit, a.uint16(Tag.PIXEL_REPRESENTATION, 0) == 1, slope, intercept,
                (int) a.number(Tag.NUMBER_OF_FRAMES, 1));
    }

    private static double[] require(DicomAttributes a, int tag, int count, String name, String what) {
        double[] v = a.numbers(tag);
        if (v == null || v.length != count) {
            throw new DicomException(name, Problem.MISSING_ATTRIBUTE, (v == null ? "no valid " : "malformed ")
                    + what + " " + Tag.toString(tag));
        }
        for (double x : v) {
            if (!Double.isFinite(x)) {
                throw new DicomException(name, Problem.MALFORMED, what + " holds a non-finite value");
            }
        }
        return v;
    }

    public boolean isLocalizer() {
        for (String t : imageType) {
            if (t.equalsIgnoreCase("LOCALIZER")) {
                return true;
            }
        }
        return false;
    }

    public FrameFormat frameFormat() {
        return new FrameFormat(rows, columns, bitsAllocated, bitsStored, signed);
    }

    /** The slice normal: row direction x column direction (LPS). */
    public double[] normal() {
        double[] o = orientation;
        return new double[] {
            o[1] * o[5] - o[2] * o[4],
            o[2] * o[3] - o[0] * o[5],
            o[0] * o[4] - o[1] * o[3]};
    }
}
