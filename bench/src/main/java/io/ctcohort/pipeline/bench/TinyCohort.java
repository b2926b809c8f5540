package io.ctcohort.pipeline.bench;

import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.Geometry;
import io.ctcohort.engine.image.LabelVolume;
import io.ctcohort.engine.nifti.NiftiWriter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A pool of tiny exams for {@link ScaleBenchmark}: a 16^3 CT and its label map of
 * {@link #STRUCTURES} structures per exam. Written fast: a few variants are encoded once and their
 * bytes copied, so 100,000 exams (200,000 files) take about a minute; a pool is written once and
 * reused by every size (the manifest of size N lists its first N exams).
 */
final class TinyCohort {
    static final int STRUCTURES = 5;
    private static final int SIDE = 16;
    private static final int VARIANTS = 8;

    private final Path dir;

    TinyCohort(Path dir) {
        this.dir = dir;
    }

    Path labelsTsv() {
        return dir.resolve("labels.tsv");
    }

    Path image(int i) {
        return dir.resolve("images").resolve(String.format(Locale.ROOT, "%03d/ex%07d.nii.gz", i / 1000, i));
    }

    Path mask(int i) {
        return dir.resolve("masks").resolve(String.format(Locale.ROOT, "%03d/ex%07d.nii.gz", i / 1000, i));
    }

    /** Makes sure the pool holds at least n exams (writes the missing ones). */
    void ensure(int n) throws IOException {
        Path count = dir.resolve("count");
        int have = Files.exists(count) ? Integer.parseInt(Files.readString(count).strip()) : 0;
        if (have >= n) {
            return;
        }
        Files.createDirectories(dir);
        StringBuilder tsv = new StringBuilder("label\tstructure\n");
        for (int l = 1; l <= STRUCTURES; l++) {
            tsv.append(l).append("\tstructure_").append(l).append('\n');
        }
        Files.writeString(labelsTsv(), tsv);
        List<byte[]> cts = new ArrayList<>();
        List<byte[]> masks = new ArrayList<>();
        for (int v = 0; v < VARIANTS; v++) {
            cts.add(encodeCt(v));
            masks.add(encodeMask(v));
        }
        long t = System.nanoTime();
        for (int i = have; i < n; i++) {
            write(image(i), cts.get(i % VARIANTS));
            write(mask(i), masks.get(i % VARIANTS));
        }
        Files.writeString(count, Integer.toString(n));
        System.out.printf(Locale.ROOT, "wrote exams %d..%d to %s in %.1f s%n", have, n - 1, dir,
                (System.nanoTime() - t) / 1e9);
    }

    /** manifest.csv of the first n exams. */
    Path manifest(int n) throws IOException {
        Path m = dir.resolve("manifest-" + n + ".csv");
        if (!Files.exists(m)) {
            try (BufferedWriter w = Files.newBufferedWriter(m, StandardCharsets.UTF_8)) {
                w.write("exam_id,image_uri,mask_uri,age,sex\n");
                for (int i = 0; i < n; i++) {
                    w.write(String.format(Locale.ROOT, "ex%07d,%s,%s,%d,%s%n", i, image(i), mask(i), 20 + i % 60,
                            i % 2 == 0 ? "F" : "M"));
                }
            }
        }
        return m;
    }

    /** Rewrites the CT of every 100th of the first n exams with another variant: 1 % changed inputs. */
    int changeOnePercent(int n, int round) throws IOException {
        int changed = 0;
        for (int i = 0; i < n; i += 100) {
            write(image(i), encodeCt(VARIANTS + round * 7 + i % 5));
            changed++;
        }
        return changed;
    }

    private static void write(Path f, byte[] bytes) throws IOException {
        Files.createDirectories(f.getParent());
        Files.write(f, bytes);
    }

    private static Geometry grid() {
        return Geometry.axisAligned(SIDE, SIDE, SIDE, 2.0, 2.0, 2.0);
    }

    private static byte[] encodeCt(int variant) throws IOException {
        CtVolume ct = CtVolume.allocate(grid());
        Random r = new Random(variant);
        short[] hu = ct.hu();
        for (int i = 0; i < hu.length; i++) {
            hu[i] = (short) (-100 + r.nextInt(400));
        }
        return encode(f -> NiftiWriter.write(ct, f));
    }

    /** Five boxes, one per structure, their sizes varying with the variant. */
    private static byte[] encodeMask(int variant) throws IOException {
        byte[] labels = new byte[SIDE * SIDE * SIDE];
        Geometry g = grid();
        for (int l = 1; l <= STRUCTURES; l++) {
            int x0 = (l - 1) * 3, x1 = x0 + 2 + (variant + l) % 2;
            for (int z = 2; z < 6 + l + variant % 4; z++) {
                for (int y = 4; y < 12; y++) {
                    for (int x = x0; x < Math.min(SIDE, x1 + 1); x++) {
                        labels[g.index(x, y, z)] = (byte) l;
                    }
                }
            }
        }
        LabelVolume mask = LabelVolume.ofUInt8(g, labels);
        return encode(f -> NiftiWriter.write(mask, f));
    }

    private interface FileWriter {
        void write(Path f) throws IOException;
    }

    private static byte[] encode(FileWriter writer) throws IOException {
        Path tmp = Files.createTempFile("ctcohort-tiny-", ".nii.gz");
        try {
            writer.write(tmp);
            return Files.readAllBytes(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
