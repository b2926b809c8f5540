package io.ctcohort.engine.input;

import io.ctcohort.engine.InvalidImageException;
import io.ctcohort.engine.dicom.DicomSeriesReader;
import io.ctcohort.engine.dicom.SeriesFiles;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.nifti.NiftiImage;
import io.ctcohort.engine.nifti.NiftiReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Opens the image an {@link ImageRef} names, through an {@link ImageStore}: the one place that
 * decides how a CT is read. A folder is a DICOM series ({@link DicomSeriesReader}, the series the
 * reference names or the folder's only one); a file is NIfTI ({@link NiftiReader}, told its length
 * so that a lying header cannot claim memory). A lone DICOM file, and a series UID on a file, are
 * refused with a message saying what to give instead.
 *
 * <p>I/O errors are thrown as they come: {@link FileNotFoundException} where nothing lies at the
 * location (the local store reports it as {@code FILE_NOT_FOUND} itself), so that a caller can
 * retry the rest ({@code ImageSource} in the pipeline).
 */
public final class CtReader {
    /** The code of a file that is not what the reference needs (as {@code NiftiProblem.NOT_NIFTI}). */
    static final String NOT_NIFTI = "NOT_NIFTI";

    private final ImageStore store;
    private final long maxVoxels;

    public CtReader(ImageStore store) {
        this(store, NiftiReader.DEFAULT_MAX_VOXELS);
    }

    /** @param maxVoxels refuse (before reading voxels) larger images */
    public CtReader(ImageStore store, long maxVoxels) {
        this.store = store;
        this.maxVoxels = maxVoxels;
    }

    /** Reads from the local file system. */
    public static CtReader local() {
        return new CtReader(LocalImageStore.INSTANCE);
    }

    /** For the engine's own commands: a local CT, an I/O error reported as an unreadable image. */
    public static CtVolume readLocal(ImageRef ref) {
        try {
            return local().readCt(ref);
        } catch (IOException e) {
            throw new InvalidImageException(ref.toString(), "cannot be read: " + e, e, "UNREADABLE");
        }
    }

    /** The CT: a DICOM series when the reference names a folder, else a NIfTI file. */
    public CtVolume readCt(ImageRef ref) throws IOException {
        ImageStore.Entry at = store.find(ref.location());
        if (at.isFolder()) {
            return readSeries(ref, at).ct();
        }
        return readNiftiFile(ref, at).toCt();
    }

    /** The DICOM series of a folder reference, with what was passed over on the way. */
    public DicomSeriesReader.Series readSeries(ImageRef ref) throws IOException {
        ImageStore.Entry at = store.find(ref.location());
        if (!at.isFolder()) {
            throw new InvalidImageException(ref.toString(), "is a file; a DICOM series is read from its folder");
        }
        return readSeries(ref, at);
    }

    /** A NIfTI file (a CT or a label map). */
    public NiftiImage readNifti(ImageRef ref) throws IOException {
        ImageStore.Entry at = store.find(ref.location());
        if (at.isFolder()) {
            throw new InvalidImageException(ref.toString(), "is a folder, not a NIfTI file", null, NOT_NIFTI);
        }
        return readNiftiFile(ref, at);
    }

    private DicomSeriesReader.Series readSeries(ImageRef ref, ImageStore.Entry folder) {
        return DicomSeriesReader.read(new StoreFolder(store, folder), ref.seriesUid(), maxVoxels);
    }

    private NiftiImage readNiftiFile(ImageRef ref, ImageStore.Entry file) throws IOException {
        if (ref.seriesUid() != null) {
            throw new InvalidImageException(ref.toString(), "names series " + ref.seriesUid()
                    + " but is a file; a series is named on its folder (DIR#SeriesInstanceUID)", null, NOT_NIFTI);
        }
        try (InputStream in = store.open(file)) {
            return NiftiReader.read(in, ref.location(), maxVoxels, file.length());
        } catch (InvalidImageException e) {
            if (NOT_NIFTI.equals(e.code()) && isDicomFile(file)) {
                throw new InvalidImageException(ref.toString(), "a single DICOM file; give the folder of its series",
                        null, NOT_NIFTI);
            }
            throw e;
        }
    }

    /** DICOM Part 10: a 128-byte preamble, then "DICM". Checked only once NIfTI has refused the file. */
    private boolean isDicomFile(ImageStore.Entry file) {
        try (InputStream in = store.open(file)) {
            byte[] head = in.readNBytes(132);
            return head.length == 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M';
        } catch (IOException e) {
            return false;
        }
    }

    /** A folder of the store as the DICOM reader lists it. */
    private record StoreFolder(ImageStore store, ImageStore.Entry folder) implements SeriesFiles {
        @Override
        public String location() {
            return folder.location();
        }

        @Override
        public List<String> list() throws IOException {
            return store.list(folder);
        }

        @Override
        public InputStream open(String file) throws IOException {
            return store.open(file);
        }
    }
}
