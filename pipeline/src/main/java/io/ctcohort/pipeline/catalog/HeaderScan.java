package io.ctcohort.pipeline.catalog;

import io.ctcohort.core.tables.Columns;
import io.ctcohort.core.tables.RowBuilder;
import io.ctcohort.core.tables.SeriesTable;
import io.ctcohort.engine.dicom.DicomAttributes;
import io.ctcohort.engine.dicom.DicomException;
import io.ctcohort.engine.dicom.DicomFile;
import io.ctcohort.engine.dicom.DicomFileReader;
import io.ctcohort.engine.dicom.PatientAge;
import io.ctcohort.engine.dicom.Tag;
import io.ctcohort.pipeline.exam.HadoopConf;
import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.sql.Row;

/**
 * On an executor: every file under one work unit (a folder, listed recursively; a folder's own
 * files, named with a trailing {@code /}; or one file)
 * becomes one row of {@link CatalogTables#FILES}, read up to its pixel data and no further. A file
 * that is not DICOM gives a row with {@code dicom} false; a DICOM file that cannot be read gives a
 * row with its error. Rows stream out as the listing pages in: nothing is collected.
 */
final class HeaderScan implements FlatMapFunction<String, Row> {
    private static final long serialVersionUID = 1L;
    private final HadoopConf conf;
    private final Counters counters;
    /** The archive root, qualified: error messages name files relative to it (folders may name patients). */
    private final String root;

    /** Files seen, DICOM among them, and DICOM files that could not be read. */
    static final class Counters implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        final LongAccumulator files;
        final LongAccumulator dicom;
        final LongAccumulator unreadable;

        Counters(SparkContext sc) {
            files = sc.longAccumulator("catalog files");
            dicom = sc.longAccumulator("catalog DICOM files");
            unreadable = sc.longAccumulator("catalog unreadable files");
        }

        Row count(Row r) {
            files.add(1);
            if (r.getBoolean(CatalogTables.FILES.fieldIndex(CatalogTables.DICOM))) {
                dicom.add(1);
                if (!r.isNullAt(CatalogTables.FILES.fieldIndex(SeriesTable.ERROR))) {
                    unreadable.add(1);
                }
            }
            return r;
        }
    }

    HeaderScan(HadoopConf conf, Counters counters, String root) {
        this.conf = conf;
        this.counters = counters;
        this.root = root;
    }

    @Override
    public Iterator<Row> call(String unit) throws IOException {
        Path path = new Path(unit);
        FileSystem fs = path.getFileSystem(conf.get());
        FileStatus status = fs.getFileStatus(path);
        if (!status.isDirectory()) {
            return List.of(counters.count(row(fs, status, root))).iterator();
        }
        Iterator<FileStatus> files = CatalogFolders.filesOf(fs, unit); // a trailing / : the folder's own files
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return files.hasNext();
            }

            @Override
            public Row next() {
                pause();
                return counters.count(row(fs, files.next(), root));
            }
        };
    }

    /** Tests slow the scan down (milliseconds per file) so that a catalog can be killed midway. */
    static final String DELAY_PROPERTY = "ctcohort.catalog.delayMs";

    private static void pause() {
        long ms = Long.getLong(DELAY_PROPERTY, 0);
        if (ms > 0) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static Row row(FileSystem fs, FileStatus f, String root) {
        String file = f.getPath().toString();
        String folder = f.getPath().getParent().toString();
        String name = relative(file, root);
        DicomFile d;
        try (InputStream in = fs.open(f.getPath())) {
            d = DicomFileReader.read(in, name, false);
        } catch (DicomException e) {
            boolean dicom = e.problem() != DicomException.Problem.NOT_DICOM;
            return errorRow(file, folder, f.getLen(), dicom, dicom ? e.getMessage() : null);
        } catch (IOException | RuntimeException e) {
            return errorRow(file, folder, f.getLen(), true,
                    name + ": cannot be read: " + e.toString().replace(file, name));
        }
        DicomAttributes a = d.attributes();
        double[] iop = a.numbers(Tag.IMAGE_ORIENTATION_PATIENT);
        double[] ipp = a.numbers(Tag.IMAGE_POSITION_PATIENT);
        Double along = null;
        if (iop != null && iop.length == 6 && ipp != null && ipp.length == 3) {
            double nx = iop[1] * iop[5] - iop[2] * iop[4];
            double ny = iop[2] * iop[3] - iop[0] * iop[5];
            double nz = iop[0] * iop[4] - iop[1] * iop[3];
            along = ipp[0] * nx + ipp[1] * ny + ipp[2] * nz;
        }
        double age = PatientAge.years(a);
        LocalDate studyDate = PatientAge.date(a.string(Tag.STUDY_DATE));
        String description = a.string(Tag.SERIES_DESCRIPTION);
        String kernel = String.join("\\", a.strings(Tag.CONVOLUTION_KERNEL));
        String[] imageType = a.strings(Tag.IMAGE_TYPE);
        boolean localizer = false;
        for (String t : imageType) {
            localizer |= t.equalsIgnoreCase("LOCALIZER");
        }
        double[] spacing = a.numbers(Tag.PIXEL_SPACING);
        RowBuilder r = CatalogTables.fileRow(file, folder, f.getLen(), true, null);
        r.set(SeriesTable.STUDY_INSTANCE_UID, a.string(Tag.STUDY_INSTANCE_UID));
        r.set(SeriesTable.SERIES_INSTANCE_UID, a.string(Tag.SERIES_INSTANCE_UID));
        r.set(SeriesTable.PATIENT_ID, a.string(Tag.PATIENT_ID));
        r.set(Columns.SEX, a.string(Tag.PATIENT_SEX));
        r.set(Columns.AGE, Double.isNaN(age) ? null : age);
        r.set(SeriesTable.STUDY_DATE, studyDate == null ? null : studyDate.toString());
        r.set(SeriesTable.MODALITY, a.string(Tag.MODALITY));
        r.set(SeriesTable.SERIES_DESCRIPTION, description);
        r.set(SeriesTable.IMAGE_TYPE, imageType.length == 0 ? null : String.join("\\", imageType));
        r.set(SeriesTable.CONVOLUTION_KERNEL, kernel.isEmpty() ? null : kernel);
        r.set(SeriesTable.KERNEL_CLASS, SeriesTraits.kernelClass(kernel, description));
        r.set(SeriesTable.SLICE_THICKNESS, number(a, Tag.SLICE_THICKNESS));
        r.set(SeriesTable.ROWS, a.has(Tag.ROWS) ? a.uint16(Tag.ROWS, 0) : null);
        r.set(SeriesTable.COLUMNS, a.has(Tag.COLUMNS) ? a.uint16(Tag.COLUMNS, 0) : null);
        r.set(SeriesTable.PIXEL_SPACING, spacing == null ? null : spacing[0]);
        r.set(SeriesTable.ORIENTATION, SeriesTraits.orientation(iop));
        r.set(SeriesTable.CONTRAST_AGENT, a.string(Tag.CONTRAST_BOLUS_AGENT));
        r.set(SeriesTable.CONTRAST_ROUTE, a.string(Tag.CONTRAST_BOLUS_ROUTE));
        r.set(SeriesTable.BODY_PART, a.string(Tag.BODY_PART_EXAMINED));
        r.set(SeriesTable.MANUFACTURER, a.string(Tag.MANUFACTURER));
        r.set(SeriesTable.KVP, number(a, Tag.KVP));
        r.set(SeriesTable.TRANSFER_SYNTAX_UID, d.transferSyntaxUid());
        r.set(SeriesTable.SERIES_NUMBER, a.has(Tag.SERIES_NUMBER) ? (int) a.number(Tag.SERIES_NUMBER, 0) : null);
        r.set(CatalogTables.IS_LOCALIZER, localizer);
        r.set(CatalogTables.POSITION, along);
        return r.row();
    }

    /** {@code file} relative to the archive root ({@code a/b.dcm}), or the file's name when outside it. */
    static String relative(String file, String root) {
        String prefix = root.endsWith("/") ? root : root + "/";
        if (file.startsWith(prefix)) {
            return file.substring(prefix.length());
        }
        int slash = file.lastIndexOf('/');
        return slash < 0 ? file : file.substring(slash + 1);
    }

    private static Double number(DicomAttributes a, int tag) {
        double v = a.number(tag, Double.NaN);
        return Double.isNaN(v) ? null : v;
    }

    private static Row errorRow(String file, String folder, long size, boolean dicom, String error) {
        return CatalogTables.fileRow(file, folder, size, dicom, error).set(CatalogTables.IS_LOCALIZER, false).row();
    }
}
