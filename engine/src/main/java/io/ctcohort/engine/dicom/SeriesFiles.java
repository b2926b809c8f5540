package io.ctcohort.engine.dicom;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * The files of a DICOM folder on some store: a local directory ({@link LocalSeriesFiles}) or,
 * in the pipeline, any Hadoop file system (S3, HDFS).
 */
public interface SeriesFiles {
    /** The folder, for messages. */
    String location();

    /** Every regular file under the folder (nested folders included), in a stable order. */
    List<String> list() throws IOException;

    InputStream open(String file) throws IOException;
}
