package io.ctcohort.engine.bench;

import io.ctcohort.engine.dicom.DicomSeriesReader;
import io.ctcohort.engine.input.CtReader;
import io.ctcohort.engine.input.ImageRef;
import io.ctcohort.engine.nifti.NiftiReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * What reading a DICOM series costs next to reading the same CT from NIfTI: the reference series
 * (example_ct in each transfer syntax, reference/dicom) against example_ct.nii.gz, in this JVM,
 * best of N after a warm-up. Prints milliseconds, megavoxels per second and the ratio to the
 * .nii.gz read per syntax. Asserts nothing.
 *
 * <pre>
 * java -cp &lt;engine classpath&gt; io.ctcohort.engine.bench.DicomReadBenchmark [REFERENCE_DIR=../shared/reference] [N=5]
 * </pre>
 */
public final class DicomReadBenchmark {
    private static final List<String> SERIES = List.of("explicit_le_int16", "implicit_le_uint16", "deflated", "rle",
            "jpeg_lossless", "jpegls_lossless", "jpeg2000_lossless");

    private DicomReadBenchmark() {
    }

    public static void main(String[] args) {
        Path ref = Paths.get(args.length > 0 ? args[0] : "../shared/reference");
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path nifti = ref.resolve("totalsegmentator/example_ct.nii.gz");
        if (!Files.isRegularFile(nifti)) {
            System.err.println("reference data absent: " + nifti.toAbsolutePath());
            System.exit(2);
        }
        long voxels = NiftiReader.read(nifti).geometry().voxelCount();
        double niftiMs = best(n, () -> NiftiReader.read(nifti).toCt().hu().length);
        System.out.printf("example_ct 122x101x112 (%d voxels), best of %d; threads per series read: %d%n", voxels, n,
                DicomSeriesReader.THREADS);
        System.out.printf("%-22s %9s %9s %14s%n", "input", "ms", "Mvox/s", "x .nii.gz read");
        System.out.printf("%-22s %9.1f %9.1f %14.2f%n", "example_ct.nii.gz", niftiMs, voxels / niftiMs / 1e3, 1.0);
        for (String s : SERIES) {
            ImageRef dir = ImageRef.of(ref.resolve("dicom").resolve(s));
            double ms = best(n, () -> CtReader.readLocal(dir).hu().length);
            System.out.printf("%-22s %9.1f %9.1f %14.2f%n", s, ms, voxels / ms / 1e3, ms / niftiMs);
        }
    }

    private static double best(int n, LongSupplier run) {
        run.getAsLong(); // warm-up
        double best = Double.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            run.getAsLong();
            best = Math.min(best, (System.nanoTime() - t) / 1e6);
        }
        return best;
    }
}
