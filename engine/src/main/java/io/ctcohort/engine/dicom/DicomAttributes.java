package io.ctcohort.engine.dicom;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The values of the attributes listed in {@link Tag} as one file holds them, decoded by their
 * value representation. Anything not listed there was skipped by the reader and is not here.
 */
public final class DicomAttributes {
    /** Attributes kept from a data set (top level only). */
    static final Set<Integer> KEPT = Set.of(Tag.SPECIFIC_CHARACTER_SET, Tag.IMAGE_TYPE, Tag.SOP_CLASS_UID,
            Tag.SOP_INSTANCE_UID, Tag.STUDY_DATE, Tag.MODALITY, Tag.MANUFACTURER, Tag.STUDY_DESCRIPTION,
            Tag.SERIES_DESCRIPTION, Tag.PATIENT_BIRTH_DATE, Tag.PATIENT_ID, Tag.PATIENT_SEX, Tag.PATIENT_AGE,
            Tag.CONTRAST_BOLUS_AGENT, Tag.CONTRAST_BOLUS_ROUTE, Tag.BODY_PART_EXAMINED, Tag.SLICE_THICKNESS, Tag.KVP,
            Tag.SPACING_BETWEEN_SLICES, Tag.GANTRY_DETECTOR_TILT, Tag.CONVOLUTION_KERNEL, Tag.STUDY_INSTANCE_UID,
            Tag.SERIES_INSTANCE_UID, Tag.SERIES_NUMBER, Tag.INSTANCE_NUMBER, Tag.IMAGE_POSITION_PATIENT,
            Tag.IMAGE_ORIENTATION_PATIENT, Tag.SAMPLES_PER_PIXEL, Tag.PHOTOMETRIC_INTERPRETATION,
            Tag.NUMBER_OF_FRAMES, Tag.ROWS, Tag.COLUMNS, Tag.PIXEL_SPACING, Tag.BITS_ALLOCATED, Tag.BITS_STORED,
            Tag.HIGH_BIT, Tag.PIXEL_REPRESENTATION, Tag.RESCALE_INTERCEPT, Tag.RESCALE_SLOPE);

    /** Kept attributes whose value is binary unsigned 16-bit (VR US) in every syntax. */
    private static final Set<Integer> US = Set.of(Tag.SAMPLES_PER_PIXEL, Tag.ROWS, Tag.COLUMNS, Tag.BITS_ALLOCATED,
            Tag.BITS_STORED, Tag.HIGH_BIT, Tag.PIXEL_REPRESENTATION);

    private final Map<Integer, byte[]> values;

    DicomAttributes(Map<Integer, byte[]> values) {
        this.values = new TreeMap<>(values);
    }

    public boolean has(int tag) {
        byte[] v = values.get(tag);
        return v != null && v.length > 0;
    }

    /** A text value with DICOM padding (spaces, NULs) trimmed; null when absent or empty. */
    public String string(int tag) {
        byte[] v = values.get(tag);
        if (v == null || US.contains(tag)) {
            return null;
        }
        String s = trim(new String(v, charset()));
        return s.isEmpty() ? null : s;
    }

    /** A multi-valued text value split at backslashes; empty when absent. */
    public String[] strings(int tag) {
        String s = string(tag);
        if (s == null) {
            return new String[0];
        }
        String[] parts = s.split("\\\\", -1);
        for (int i = 0; i < parts.length; i++) {
            parts[i] = trim(parts[i]);
        }
        return parts;
    }

    /** A decimal or integer string (DS, IS) with one or more values; null when absent or not numeric. */
    public double[] numbers(int tag) {
        String[] parts = strings(tag);
        if (parts.length == 0) {
            return null;
        }
        double[] out = new double[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                out[i] = Double.parseDouble(parts[i]);
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return out;
    }

    /** The first value of a DS or IS attribute, or {@code fallback}. */
    public double number(int tag, double fallback) {
        double[] v = numbers(tag);
        return v == null ? fallback : v[0];
    }

    /** A US value (rows, columns, bits), or {@code fallback} when absent. */
    public int uint16(int tag, int fallback) {
        byte[] v = values.get(tag);
        if (v == null || v.length < 2) {
            return fallback;
        }
        return (v[0] & 0xFF) | (v[1] & 0xFF) << 8;
    }

    private Charset charset() {
        byte[] cs = values.get(Tag.SPECIFIC_CHARACTER_SET);
        if (cs != null && new String(cs, StandardCharsets.US_ASCII).contains("ISO_IR 192")) {
            return StandardCharsets.UTF_8;
        }
        return StandardCharsets.ISO_8859_1;
    }

    private static String trim(String s) {
        int b = 0;
        int e = s.length();
        while (b < e && (s.charAt(b) == ' ' || s.charAt(b) == 0)) {
            b++;
        }
        while (e > b && (s.charAt(e - 1) == ' ' || s.charAt(e - 1) == 0)) {
            e--;
        }
        return s.substring(b, e);
    }

    @Override
    public String toString() {
        // Never print values: some kept attributes (birth date) are identifying.
        return "DicomAttributes" + Arrays.toString(values.keySet().stream().map(Tag::toString).toArray());
    }
}
