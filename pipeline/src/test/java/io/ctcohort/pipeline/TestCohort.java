package io.ctcohort.pipeline;

import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.Geometry;
import io.ctcohort.engine.nifti.NiftiWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Small synthetic CT exams for pipeline tests: a body (soft tissue) with fat, a liver-like blob,
 * a vessel and a spine column at their HU, different per exam so that measurements differ.
 * Also the bad inputs of a real archive: corrupt, truncated, missing, wrong type.
 */
public final class TestCohort {
    public record Exam(String examId, String patientId, double age, String sex, Path file) {
    }

    private TestCohort() {
    }

    public static List<Exam> write(Path dir, int n, long seed) throws IOException {
        Files.createDirectories(dir);
        List<Exam> exams = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = String.format("EX%04d", i);
            Path f = dir.resolve(id + ".nii.gz");
            NiftiWriter.write(ct(seed + i, i), f);
            exams.add(new Exam(id, String.format("P%04d", i / 2), 30 + (i * 7) % 50, i % 2 == 0 ? "F" : "M", f));
        }
        return exams;
    }

    /** A CT of about 40x36x(20..28) voxels at 3 mm; its shape varies with the seed. */
    public static CtVolume ct(long seed, int i) {
        Random r = new Random(seed);
        int nx = 40, ny = 36, nz = 20 + (i % 3) * 4;
        CtVolume ct = CtVolume.allocate(Geometry.axisAligned(nx, ny, nz, 3.0, 3.0, 3.0));
        short[] hu = ct.hu();
        double cx = nx / 2.0 + r.nextDouble() * 2, cy = ny / 2.0, lr = 6 + r.nextDouble() * 4;
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    double bx = (x - cx) / (nx * 0.42), by = (y - cy) / (ny * 0.4);
                    int v = -1000;
                    if (bx * bx + by * by < 1) {
                        v = bx * bx + by * by > 0.7 ? -100 : 40;
                        double lx = x - cx - 6, ly = y - cy + 2, lz = z - nz / 2.0;
                        if (lx * lx + ly * ly + lz * lz < lr * lr) {
                            v = 60;
                        }
                        double sx = x - cx, sy = y - cy - 9;
                        if (sx * sx + sy * sy < 9) {
                            v = 700;
                        }
                        double ax = x - cx + 3, ay = y - cy - 4;
                        if (ax * ax + ay * ay < 3) {
                            v = 300;
                        }
                    }
                    hu[ct.geometry().index(x, y, z)] = (short) (v + r.nextInt(21) - 10);
                }
            }
        }
        return ct;
    }

    /** A gzip stream whose body is garbage: the NIfTI reader must refuse it. */
    public static Path corrupt(Path dir, String name) throws IOException {
        Path f = dir.resolve(name);
        byte[] junk = new byte[4000];
        new Random(7).nextBytes(junk);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            out.write(junk);
        }
        return f;
    }

    /** The first 60 % of a good exam's bytes. */
    public static Path truncated(Path good, Path dir, String name) throws IOException {
        byte[] all = Files.readAllBytes(good);
        Path f = dir.resolve(name);
        Files.write(f, java.util.Arrays.copyOf(all, all.length * 6 / 10));
        return f;
    }

    /** Not an image at all (a text report where an image was expected). */
    public static Path wrongType(Path dir, String name) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, "Patient report: no acute findings.\n".repeat(20), StandardCharsets.UTF_8);
        return f;
    }

    /** manifest.csv with exam_id, patient_id, age, sex, image_uri. */
    public static Path manifest(Path file, List<Exam> exams, List<String[]> extraRows) throws IOException {
        StringBuilder sb = new StringBuilder("exam_id,patient_id,age,sex,image_uri\n");
        for (Exam e : exams) {
            sb.append(e.examId()).append(',').append(e.patientId()).append(',').append(e.age()).append(',')
                    .append(e.sex()).append(',').append(e.file().toUri()).append('\n');
        }
        for (String[] row : extraRows) {
            sb.append(String.join(",", row)).append('\n');
        }
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
        return file;
    }
}
