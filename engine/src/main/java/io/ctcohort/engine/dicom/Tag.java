package io.ctcohort.engine.dicom;

/**
 * The DICOM attributes ctcohort reads, as (group << 16 | element). Only these are kept from a
 * file's data set: everything else, patient names and addresses included, is skipped unread.
 */
public final class Tag {
    public static final int TRANSFER_SYNTAX_UID = 0x00020010;

    public static final int SPECIFIC_CHARACTER_SET = 0x00080005;
    public static final int IMAGE_TYPE = 0x00080008;
    public static final int SOP_CLASS_UID = 0x00080016;
    public static final int SOP_INSTANCE_UID = 0x00080018;
    public static final int STUDY_DATE = 0x00080020;
    public static final int MODALITY = 0x00080060;
    public static final int MANUFACTURER = 0x00080070;
    public static final int STUDY_DESCRIPTION = 0x00081030;
    public static final int SERIES_DESCRIPTION = 0x0008103E;
    /** Read only to derive an age when PatientAge is missing; never written anywhere. */
    public static final int PATIENT_BIRTH_DATE = 0x00100030;
    public static final int PATIENT_ID = 0x00100020;
    public static final int PATIENT_SEX = 0x00100040;
    public static final int PATIENT_AGE = 0x00101010;
    public static final int CONTRAST_BOLUS_AGENT = 0x00180010;
    public static final int BODY_PART_EXAMINED = 0x00180015;
    public static final int SLICE_THICKNESS = 0x00180050;
    public static final int KVP = 0x00180060;
    public static final int CONTRAST_BOLUS_ROUTE = 0x00181040;
    public static final int SPACING_BETWEEN_SLICES = 0x00180088;
    public static final int GANTRY_DETECTOR_TILT = 0x00181120;
    public static final int CONVOLUTION_KERNEL = 0x00181210;
    public static final int STUDY_INSTANCE_UID = 0x0020000D;
    public static final int SERIES_INSTANCE_UID = 0x0020000E;
    public static final int SERIES_NUMBER = 0x00200011;
    public static final int INSTANCE_NUMBER = 0x00200013;
    public static final int IMAGE_POSITION_PATIENT = 0x00200032;
    public static final int IMAGE_ORIENTATION_PATIENT = 0x00200037;
    public static final int SAMPLES_PER_PIXEL = 0x00280002;
    public static final int PHOTOMETRIC_INTERPRETATION = 0x00280004;
    public static final int NUMBER_OF_FRAMES = 0x00280008;
    public static final int ROWS = 0x00280010;
    public static final int COLUMNS = 0x00280011;
    public static final int PIXEL_SPACING = 0x00280030;
    public static final int BITS_ALLOCATED = 0x00280100;
    public static final int BITS_STORED = 0x00280101;
    public static final int HIGH_BIT = 0x00280102;
    public static final int PIXEL_REPRESENTATION = 0x00280103;
    public static final int RESCALE_INTERCEPT = 0x00281052;
    public static final int RESCALE_SLOPE = 0x00281053;
    public static final int PIXEL_DATA = 0x7FE00010;

    static final int ITEM = 0xFFFEE000;
    static final int ITEM_DELIMITATION = 0xFFFEE00D;
    static final int SEQUENCE_DELIMITATION = 0xFFFEE0DD;

    private Tag() {
    }

    /** "(gggg,eeee)" for messages. */
    public static String toString(int tag) {
        return String.format("(%04X,%04X)", tag >>> 16, tag & 0xFFFF);
    }
}
