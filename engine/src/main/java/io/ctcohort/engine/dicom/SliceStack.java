package io.ctcohort.engine.dicom;

import io.ctcohort.engine.dicom.DicomException.Problem;
import io.ctcohort.engine.image.Geometry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The slices of one series checked and stacked into a volume, in dicom2nifti's order: drop
 * localizers and second copies of one instance, then check the count, one orientation, no gantry
 * tilt, sort along the slice normal, check uniform slice increments, and build the affine from
 * the first and last ImagePositionPatient (never from SliceThickness). Each check is one method
 * with its tolerance a named constant; each failure a {@link DicomException} with a stable code.
 *
 * <p>Voxel (x, y, z) of the result is column x, row y of the z-th slice along the normal, so
 * each slice's pixels are copied as they are transmitted.
 */
public final class SliceStack {
    public static final int MIN_SLICES = 3;
    /** Largest difference of any ImageOrientationPatient component between slices. */
    public static final double ORIENTATION_TOLERANCE = 1e-3;
    /** Largest |row . column| and | |v| - 1 | of the orientation's unit vectors. */
    public static final double ORTHONORMAL_TOLERANCE = 1e-3;
    /** Largest distance between the unit stacking direction and the slice normal (about 2.9 degrees). */
    public static final double TILT_TOLERANCE = 0.05;
    /** Slice increments must equal the median increment within ATOL + RTOL * median (dicom2nifti's). */
    public static final double INCREMENT_RTOL = 0.05;
    public static final double INCREMENT_ATOL_MM = 0.1;
    /** Two slices closer than this along the normal are at the same position. */
    public static final double SAME_POSITION_MM = 0.01;

    /** A stacked series: its slices in volume order and the volume's geometry. */
    public record Stack(List<DicomSlice> slices, Geometry geometry, int localizersDropped, int copiesDropped) {
    }

    private SliceStack() {
    }

    /** Checks, sorts and places {@code slices} (the images of one series); {@code location} names it. */
    public static Stack build(String location, List<DicomSlice> slices) {
        List<DicomSlice> images = new ArrayList<>();
        for (DicomSlice s : slices) {
            if (!s.isLocalizer()) {
                images.add(s);
            }
        }
        int localizers = slices.size() - images.size();
        List<DicomSlice> unique = dropCopies(images);
        checkSingleFrames(location, unique);
        checkCount(location, unique);
        DicomSlice first = unique.get(0);
        checkSameImageFormat(location, unique);
        checkOrientation(location, unique);
        double[] normal = first.normal();
        List<DicomSlice> sorted = new ArrayList<>(unique);
        sorted.sort(Comparator.comparingDouble(s -> dot(s.position(), normal)));
        checkDistinctPositions(location, sorted, normal);
        checkNoTilt(location, sorted, normal);
        checkIncrements(location, sorted, normal);
        return new Stack(List.copyOf(sorted), geometry(sorted), localizers, images.size() - unique.size());
    }

    /** The same SOP instance twice (a copied file) is one slice. */
    static List<DicomSlice> dropCopies(List<DicomSlice> slices) {
        Set<String> seen = new HashSet<>();
        List<DicomSlice> out = new ArrayList<>();
        for (DicomSlice s : slices) {
            if (s.sopInstanceUid() == null || seen.add(s.sopInstanceUid())) {
                out.add(s);
            }
        }
        return out;
    }

    static void checkSingleFrames(String location, List<DicomSlice> slices) {
        for (DicomSlice s : slices) {
            if (s.frames() > 1) {
                throw new DicomException(s.file(), Problem.UNSUPPORTED_IMAGE, "multi-frame image (" + s.frames()
                        + " frames): enhanced multi-frame CT is not supported; export the series as single-frame images");
            }
        }
    }

    static void checkCount(String location, List<DicomSlice> slices) {
        if (slices.size() < MIN_SLICES) {
            throw new DicomException(location, Problem.TOO_FEW_SLICES, "series has " + slices.size()
                    + " image slice(s) besides localizers; a volume needs at least " + MIN_SLICES);
        }
    }

    static void checkSameImageFormat(String location, List<DicomSlice> slices) {
        DicomSlice f = slices.get(0);
        for (DicomSlice s : slices) {
            if (s.rows() != f.rows() || s.columns() != f.columns() || s.bitsAllocated() != f.bitsAllocated()
                    || !Arrays.equals(s.pixelSpacing(), f.pixelSpacing())) {
                throw new DicomException(location, Problem.INCONSISTENT_SLICES, "slices differ in size or pixel spacing: "
                        + describe(f) + " in " + f.file() + " but " + describe(s) + " in " + s.file());
            }
        }
    }

    static void checkOrientation(String location, List<DicomSlice> slices) {
        double[] o = slices.get(0).orientation();
        double rowNorm = Math.sqrt(o[0] * o[0] + o[1] * o[1] + o[2] * o[2]);
        double colNorm = Math.sqrt(o[3] * o[3] + o[4] * o[4] + o[5] * o[5]);
        double cos = o[0] * o[3] + o[1] * o[4] + o[2] * o[5];
        if (Math.abs(rowNorm - 1) > ORTHONORMAL_TOLERANCE || Math.abs(colNorm - 1) > ORTHONORMAL_TOLERANCE
                || Math.abs(cos) > ORTHONORMAL_TOLERANCE) {
            throw new DicomException(slices.get(0).file(), Problem.MALFORMED, "ImageOrientationPatient "
                    + Arrays.toString(o) + " is not two orthogonal unit vectors");
        }
        for (DicomSlice s : slices) {
            for (int i = 0; i < 6; i++) {
                if (Math.abs(s.orientation()[i] - o[i]) > ORIENTATION_TOLERANCE) {
                    throw new DicomException(location, Problem.ORIENTATION_INCONSISTENT, "slices have different "
                            + "orientations: " + Arrays.toString(o) + " in " + slices.get(0).file() + " but "
                            + Arrays.toString(s.orientation()) + " in " + s.file());
                }
            }
        }
    }

    static void checkDistinctPositions(String location, List<DicomSlice> sorted, double[] normal) {
        for (int k = 1; k < sorted.size(); k++) {
            DicomSlice a = sorted.get(k - 1);
            DicomSlice b = sorted.get(k);
            if (dot(b.position(), normal) - dot(a.position(), normal) < SAME_POSITION_MM) {
                throw new DicomException(location, Problem.DUPLICATE_SLICE_POSITION, String.format(Locale.ROOT,
                        "two different slices at the same position %.2f mm along the normal: %s and %s "
                                + "(several acquisitions in one series? split them)",
                        dot(a.position(), normal), a.file(), b.file()));
            }
        }
    }

    /**
     * The slices must stack along their normal. A gantry tilt shears the stack; it is refused
     * rather than resampled (dcm2niix corrects it by interpolation; we keep the voxels as acquired).
     */
    static void checkNoTilt(String location, List<DicomSlice> sorted, double[] normal) {
        double[] d = minus(sorted.get(sorted.size() - 1).position(), sorted.get(0).position());
        double len = Math.sqrt(dot(d, d));
        double dist = 0;
        for (int i = 0; i < 3; i++) {
            double e = d[i] / len - normal[i];
            dist += e * e;
        }
        dist = Math.sqrt(dist);
        if (dist > TILT_TOLERANCE) {
            double degrees = Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, dot(d, normal) / len))));
            throw new DicomException(location, Problem.GANTRY_TILT, String.format(Locale.ROOT,
                    "slices are not stacked along their normal (gantry tilt of %.1f degrees): tilted series "
                            + "are refused, not resampled", degrees));
        }
    }

    static void checkIncrements(String location, List<DicomSlice> sorted, double[] normal) {
        int n = sorted.size();
        double[] inc = new double[n - 1];
        for (int k = 1; k < n; k++) {
            inc[k - 1] = dot(sorted.get(k).position(), normal) - dot(sorted.get(k - 1).position(), normal);
        }
        double[] s = inc.clone();
        Arrays.sort(s);
        double median = s[s.length / 2];
        for (int k = 0; k < inc.length; k++) {
            if (Math.abs(inc[k] - median) > INCREMENT_ATOL_MM + INCREMENT_RTOL * median) {
                throw new DicomException(location, Problem.SLICE_INCREMENT_INCONSISTENT, String.format(Locale.ROOT,
                        "slices %d and %d are %.3f mm apart where the series steps %.3f mm (%s): "
                                + "a missing or extra slice? (%s, %s)", k, k + 1, inc[k], median,
                        inc[k] > median ? "gap" : "overlap", sorted.get(k).file(), sorted.get(k + 1).file()));
            }
        }
    }

    /**
     * The NIfTI affine (voxel -> RAS mm): LPS columns from the orientation times the pixel
     * spacing, the slice step from the first and last positions, then x and y negated (LPS -> RAS).
     */
    static Geometry geometry(List<DicomSlice> sorted) {
        DicomSlice first = sorted.get(0);
        DicomSlice last = sorted.get(sorted.size() - 1);
        double[] o = first.orientation();
        double dx = first.pixelSpacing()[1]; // between columns: along a row
        double dy = first.pixelSpacing()[0]; // between rows: down a column
        double[] step = minus(last.position(), first.position());
        for (int i = 0; i < 3; i++) {
            step[i] /= sorted.size() - 1;
        }
        double[] p = first.position();
        double[] a = new double[16];
        for (int r = 0; r < 3; r++) {
            double sign = r < 2 ? -1 : 1;
            a[4 * r] = sign * o[r] * dx;
            a[4 * r + 1] = sign * o[3 + r] * dy;
            a[4 * r + 2] = sign * step[r];
            a[4 * r + 3] = sign * p[r];
        }
        a[15] = 1;
        double dz = Math.sqrt(dot(step, step));
        return new Geometry(first.columns(), first.rows(), sorted.size(), a, new double[] {dx, dy, dz});
    }

    private static String describe(DicomSlice s) {
        return s.columns() + "x" + s.rows() + " pixels of " + s.bitsAllocated() + " bits, spacing "
                + Arrays.toString(s.pixelSpacing());
    }

    static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    private static double[] minus(double[] a, double[] b) {
        return new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
    }
}
