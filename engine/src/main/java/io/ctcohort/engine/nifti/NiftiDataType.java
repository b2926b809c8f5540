package io.ctcohort.engine.nifti;

/** The NIfTI datatypes ctcohort reads and writes (codes from nifti1.h). */
public enum NiftiDataType {
    UINT8(2, 1), INT16(4, 2), INT32(8, 4), FLOAT32(16, 4), FLOAT64(64, 8),
    INT8(256, 1), UINT16(512, 2), UINT32(768, 4);

    private final int code;
    private final int bytes;

    NiftiDataType(int code, int bytes) {
        this.code = code;
        this.bytes = bytes;
    }

    /** The datatype code stored in the header. */
    public int code() {
        return code;
    }

    /** Bytes per voxel. */
    public int bytes() {
        return bytes;
    }

    public int bitpix() {
        return 8 * bytes;
    }

    public boolean isFloat() {
        return this == FLOAT32 || this == FLOAT64;
    }

    /** Smallest value an integer type holds (floats: -MAX_VALUE). */
    public double min() {
        return switch (this) {
            case UINT8, UINT16, UINT32 -> 0;
            case INT8 -> Byte.MIN_VALUE;
            case INT16 -> Short.MIN_VALUE;
            case INT32 -> Integer.MIN_VALUE;
            case FLOAT32 -> -Float.MAX_VALUE;
            case FLOAT64 -> -Double.MAX_VALUE;
        };
    }

    /** Largest value an integer type holds (floats: MAX_VALUE). */
    public double max() {
        return switch (this) {
            case UINT8 -> 255;
            case UINT16 -> 65535;
            case UINT32 -> 4294967295.0;
            case INT8 -> Byte.MAX_VALUE;
            case INT16 -> Short.MAX_VALUE;
            case INT32 -> Integer.MAX_VALUE;
            case FLOAT32 -> Float.MAX_VALUE;
            case FLOAT64 -> Double.MAX_VALUE;
        };
    }

    /** The type with this header code, or null when ctcohort does not support it. */
    public static NiftiDataType ofCode(int code) {
        for (NiftiDataType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }

    /** A readable name for any NIfTI datatype code, supported or not (for error messages). */
    public static String describe(int code) {
        NiftiDataType t = ofCode(code);
        if (t != null) {
            return t.name().toLowerCase();
        }
        return switch (code) {
            case 0 -> "unknown";
            case 1 -> "binary";
            case 32 -> "complex64";
            case 128 -> "rgb24";
            case 1024 -> "int64";
            case 1280 -> "uint64";
            case 1536 -> "float128";
            case 1792 -> "complex128";
            case 2048 -> "complex256";
            case 2304 -> "rgba32";
            default -> "code " + code;
        };
    }
}
