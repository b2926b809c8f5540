package io.ctcohort.engine.dicom;

import io.ctcohort.engine.dicom.DicomException.Problem;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.Geometry;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Reads a DICOM CT series from a folder as a {@link CtVolume}, the way dcm2niix and dicom2nifti
 * read it: headers first (files that are not DICOM, and images without pixels, are skipped), the
 * series chosen, its slices checked and sorted by {@link SliceStack}, then each slice's pixels
 * decoded straight into its place in the volume. Memory: the volume plus one slice per thread.
 * Files are read by a few threads at once ({@link #THREADS}): on an object store each file is a
 * request whose latency, not bandwidth, dominates, and JPEG 2000 slices take milliseconds each.
 *
 * <p>A folder that holds several series needs the one to read: {@code FOLDER#SeriesInstanceUID}
 * names it (the catalog writes such locations into its manifest; {@code input.ImageRef} parses them).
 */
public final class DicomSeriesReader {
    /** Files read at once per series. */
    public static final int THREADS = 4;

    /** A series read: the volume, which series it was, and how many files were passed over. */
    public record Series(CtVolume ct, String seriesUid, int slices, int filesSkipped, int localizersDropped,
                         int copiesDropped) {
    }

    private DicomSeriesReader() {
    }

    /**
     * @param seriesUid the series to read; null = the folder's only series with images
     * @param maxVoxels refuse (before reading pixels) larger volumes
     */
    public static Series read(SeriesFiles files, String seriesUid, long maxVoxels) {
        String where = seriesUid == null ? files.location() : files.location() + "#" + seriesUid;
        Map<String, List<DicomSlice>> bySeries = new LinkedHashMap<>();
        int skipped = 0;
        List<String> names = list(files);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(THREADS, names.size())), r -> {
            Thread t = new Thread(r, "ctcohort-dicom-read");
            t.setDaemon(true);
            return t;
        });
        try {
            List<DicomFile> headers = inOrder(pool, names, name -> open(files, name, false));
            for (DicomFile f : headers) {
                if (f == null || !DicomSlice.isImage(f.attributes())) {
                    skipped++;
                    continue;
                }
                DicomSlice s = DicomSlice.of(f);
                bySeries.computeIfAbsent(s.seriesUid(), k -> new ArrayList<>()).add(s);
            }
            List<DicomSlice> chosen = choose(files.location(), bySeries, seriesUid, names.size());
            SliceStack.Stack stack = SliceStack.build(where, chosen);
            Geometry g = stack.geometry();
            if (g.voxelCount() > maxVoxels) {
                throw new DicomException(where, Problem.IMAGE_TOO_LARGE, g + " has " + g.voxelCount()
                        + " voxels, more than the limit of " + maxVoxels);
            }
            short[] hu = new short[Math.toIntExact(g.voxelCount())];
            int sliceSize = g.nx() * g.ny();
            List<DicomSlice> slices = stack.slices();
            List<Integer> order = new ArrayList<>();
            for (int k = 0; k < slices.size(); k++) {
                order.add(k);
            }
            inOrder(pool, order, k -> {
                DicomSlice s = slices.get(k);
                DicomFile f = open(files, s.file(), true);
                if (f == null) {
                    throw new DicomException(s.file(), Problem.NOT_DICOM, "file changed while the series was read");
                }
                SliceDecoder.decode(f, s, hu, k * sliceSize);
                return k;
            });
            return new Series(new CtVolume(g, hu), chosen.get(0).seriesUid(), slices.size(), skipped,
                    stack.localizersDropped(), stack.copiesDropped());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Applies {@code work} to every item on the pool; results (and the first failure) in item order. */
    private static <T, R> List<R> inOrder(ExecutorService pool, List<T> items, Function<T, R> work) {
        List<Future<R>> futures = new ArrayList<>(items.size());
        for (T item : items) {
            futures.add(pool.submit(() -> work.apply(item)));
        }
        List<R> out = new ArrayList<>(items.size());
        try {
            for (Future<R> f : futures) {
                out.add(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading a DICOM series", e);
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
        return out;
    }
    private static List<DicomSlice> choose(String location, Map<String, List<DicomSlice>> bySeries, String seriesUid,
                                           int fileCount) {
        if (bySeries.isEmpty()) {
            throw new DicomException(location, Problem.NO_DICOM_FILES, fileCount == 0 ? "folder is empty or missing"
                    : "no DICOM image among its " + fileCount + " file(s)");
        }
        if (seriesUid != null) {
            List<DicomSlice> s = bySeries.get(seriesUid);
            if (s == null) {
                throw new DicomException(location, Problem.SERIES_NOT_FOUND, "no series " + seriesUid + " here; found "
                        + summary(bySeries));
            }
            return s;
        }
        List<String> volumes = new ArrayList<>();
        for (Map.Entry<String, List<DicomSlice>> e : bySeries.entrySet()) {
            if (e.getValue().stream().anyMatch(s -> !s.isLocalizer())) {
                volumes.add(e.getKey());
            }
        }
        if (volumes.size() > 1) {
            throw new DicomException(location, Problem.SERIES_AMBIGUOUS, "holds " + volumes.size() + " series: "
                    + summary(bySeries) + "; name one as FOLDER#SeriesInstanceUID (or run catalog to choose)");
        }
        return bySeries.get(volumes.isEmpty() ? bySeries.keySet().iterator().next() : volumes.get(0));
    }

    private static String summary(Map<String, List<DicomSlice>> bySeries) {
        StringBuilder sb = new StringBuilder();
        bySeries.forEach((uid, slices) -> sb.append(sb.length() == 0 ? "" : ", ").append(uid).append(" (")
                .append(slices.size()).append(" images)"));
        return sb.toString();
    }

    private static List<String> list(SeriesFiles files) {
        try {
            return files.list();
        } catch (IOException e) {
            throw new DicomException(files.location(), Problem.NO_DICOM_FILES, "cannot list the folder: " + e, e);
        }
    }

    /** One file; null when it is not DICOM at all (a README, a thumbnail) so that it is skipped. */
    private static DicomFile open(SeriesFiles files, String name, boolean withPixels) {
        try (InputStream in = files.open(name)) {
            return DicomFileReader.read(in, name, withPixels);
        } catch (DicomException e) {
            if (e.problem() == Problem.NOT_DICOM) {
                return null;
            }
            throw e;
        } catch (IOException e) {
            throw new DicomException(name, Problem.MALFORMED, "cannot be read: " + e, e);
        }
    }
}
