package io.ctcohort.engine.dicom;

import io.ctcohort.engine.dicom.DicomSeriesWriter.Series;
import io.ctcohort.engine.dicom.DicomSeriesWriter.Study;
import io.ctcohort.engine.dicom.DicomSeriesWriter.WrittenSeries;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.Geometry;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A study folder as archives hold them, laid out like {@code reference/dicom/study_three_series}:
 * <pre>
 * s1/  series 1, a one-slice localizer (ORIGINAL\PRIMARY\LOCALIZER): the CT's first slice
 * s2/  series 2, the CT itself, "ABDOMEN &lt;t&gt; B30f": the series to segment
 * s3/  series 3, every other slice at twice the spacing, "LUNG &lt;2t&gt; B70f"
 * </pre>
 * All three share the study and frame of reference UIDs. For catalog and series-selection tests.
 */
public final class MultiSeriesStudy {
    private MultiSeriesStudy() {
    }

    /** Writes the three series into {@code folder}/s1, s2, s3; returns them in that order. */
    public static List<WrittenSeries> write(CtVolume ct, Study study, Path folder) {
        Geometry g = ct.geometry();
        double t = g.spacing()[2];
        WrittenSeries localizer = DicomSeriesWriter.write(slices(ct, 0, 1, 1), study,
                Series.localizer(1, "Topogram 0.6 T20s", "T20s"), folder.resolve("s1"));
        WrittenSeries main = DicomSeriesWriter.write(ct, study,
                Series.axial(2, String.format(Locale.ROOT, "ABDOMEN %.1f B30f", t), "B30f"), folder.resolve("s2"));
        WrittenSeries lung = DicomSeriesWriter.write(slices(ct, 0, 2, (g.nz() + 1) / 2), study,
                Series.axial(3, String.format(Locale.ROOT, "LUNG %.1f B70f", 2 * t), "B70f"), folder.resolve("s3"));
        return List.of(localizer, main, lung);
    }

    /**
     * Slices {@code first, first + step, ...} ({@code count} of them) as a volume of their own: the
     * affine's slice column is multiplied by {@code step} and its origin moved to slice {@code first}.
     */
    public static CtVolume slices(CtVolume ct, int first, int step, int count) {
        Geometry g = ct.geometry();
        if (first < 0 || step < 1 || count < 1 || first + (long) step * (count - 1) >= g.nz()) {
            throw new IllegalArgumentException("slices " + first + " + " + step + " * [0, " + count + ") outside 0.."
                    + (g.nz() - 1));
        }
        double[] a = g.affine();
        for (int r = 0; r < 3; r++) {
            a[4 * r + 3] += first * a[4 * r + 2];
            a[4 * r + 2] *= step;
        }
        double[] spacing = g.spacing();
        spacing[2] *= step;
        int plane = g.nx() * g.ny();
        short[] hu = new short[plane * count];
        for (int s = 0; s < count; s++) {
            System.arraycopy(ct.hu(), (first + s * step) * plane, hu, s * plane, plane);
        }
        return new CtVolume(new Geometry(g.nx(), g.ny(), count, a, spacing), hu);
    }
}
