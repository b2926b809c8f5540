package io.ctcohort.engine.bench;

import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.Geometry;
import io.ctcohort.engine.image.LabelVolume;
import io.ctcohort.engine.labels.LabelMap;
import io.ctcohort.engine.nifti.NiftiImage;
import io.ctcohort.engine.nifti.NiftiReader;
import io.ctcohort.engine.nifti.NiftiWriter;
import io.ctcohort.engine.stats.StatisticsCalculator;
import io.ctcohort.engine.stats.StructureStatistics;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Prints how long reading and statistics take on a synthetic 512x512x400 int16 CT with 20
 * structures, each against a reference in the same process: reading against draining the same
 * file's bytes (and gunzipping them), statistics against one plain pass summing the CT array.
 * Not a test: figures are printed, never asserted.
 *
 * <pre>java -Xmx3g -cp engine/target/classes io.ctcohort.engine.bench.StatsBenchmark [nx ny nz] [repeats]</pre>
 */
public final class StatsBenchmark {
    private StatsBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int nx = args.length >= 3 ? Integer.parseInt(args[0]) : 512;
        int ny = args.length >= 3 ? Integer.parseInt(args[1]) : 512;
        int nz = args.length >= 3 ? Integer.parseInt(args[2]) : 400;
        int repeats = args.length == 1 ? Integer.parseInt(args[0]) : args.length >= 4 ? Integer.parseInt(args[3]) : 3;
        Geometry g = Geometry.axisAligned(nx, ny, nz, 0.8, 0.8, 1.25);
        CtVolume ct = CtVolume.allocate(g);
        LabelVolume labels = LabelVolume.allocate(g, 20);
        short[] hu = ct.hu();
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int i = g.index(x, y, z);
                    int cell = x * 5 / nx + 5 * (y * 5 / ny) + 25 * (z * 4 / nz); // 100 boxes
                    labels.set(i, cell % 21); // labels 1..20, label 0 (background) on ~1 box in 21
                    hu[i] = (short) ((x * 7 + y * 13 + z * 17 + (i * 2654435761L >>> 24) % 50) % 2000 - 1000);
                }
            }
        }
        Map20 names = new Map20();
        System.out.printf("synthetic CT %s, %d voxels, 20 structures; %d repeats, best time reported%n",
                g, g.voxelCount(), repeats);

        Path dir = Files.createTempDirectory("ctcohort-bench");
        try {
            Path nii = dir.resolve("ct.nii");
            Path gz = dir.resolve("ct.nii.gz");
            long t0 = System.nanoTime();
            NiftiWriter.write(ct, nii);
            long t1 = System.nanoTime();
            NiftiWriter.write(ct, gz);
            long t2 = System.nanoTime();
            System.out.printf("write .nii: %d ms, .nii.gz: %d ms (single run)%n", (t1 - t0) / 1_000_000,
                    (t2 - t1) / 1_000_000);
            System.out.printf("files: ct.nii %d MB, ct.nii.gz %d MB%n", Files.size(nii) >> 20, Files.size(gz) >> 20);

            long drain = (long) BestOf.millis(repeats, BestOf.WALL, () -> drain(Files.newInputStream(nii)));
            long read = (long) BestOf.millis(repeats, BestOf.WALL, () -> NiftiReader.read(nii).toCt().hu().length);
            long gunzip = (long) BestOf.millis(repeats, BestOf.WALL, () -> drain(new GZIPInputStream(Files.newInputStream(gz), 1 << 16)));
            long readGz = (long) BestOf.millis(repeats, BestOf.WALL, () -> NiftiReader.read(gz).toCt().hu().length);
            System.out.printf("read .nii:    %6d ms   (drain the file's bytes: %d ms; ratio %.2f)%n",
                    read, drain, (double) read / drain);
            System.out.printf("read .nii.gz: %6d ms   (gunzip the file to nowhere: %d ms; ratio %.2f)%n",
                    readGz, gunzip, (double) readGz / gunzip);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }

        long sum = (long) BestOf.millis(repeats, BestOf.WALL, () -> {
            long s = 0;
            for (short v : hu) {
                s += v;
            }
            return s;
        });
        long stats = (long) BestOf.millis(repeats, BestOf.WALL, () -> {
            List<StructureStatistics> s = StatisticsCalculator.compute(ct, labels, names.map);
            return s.get(0).voxelCount();
        });
        System.out.printf("statistics:   %6d ms   (one plain pass summing the int16 array: %d ms; ratio %.2f)%n",
                stats, sum, (double) stats / sum);
        System.out.printf("statistics throughput: %.0f Mvoxel/s%n", g.voxelCount() / 1000.0 / stats);
    }

    /** Structure names s1..s20. */
    private static final class Map20 {
        final LabelMap map;

        Map20() {
            java.util.Map<Integer, String> m = new java.util.TreeMap<>();
            for (int i = 1; i <= 20; i++) {
                m.put(i, "structure_" + i);
            }
            map = LabelMap.of(m);
        }
    }

    private static long drain(InputStream in) throws IOException {
        try (in) {
            byte[] buf = new byte[1 << 16];
            long n = 0;
            int k;
            while ((k = in.read(buf)) > 0) {
                n += k;
            }
            return n;
        }
    }
}
