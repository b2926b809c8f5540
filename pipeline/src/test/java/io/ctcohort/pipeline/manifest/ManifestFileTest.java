package io.ctcohort.pipeline.manifest;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ctcohort.core.tables.ExamsTable;
import io.ctcohort.pipeline.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** The manifest tests' fixture: CSV text written into the test's folder and read as {@code segment} reads it. */
abstract class ManifestFileTest {
    /** The reader of {@code segment}: exam_id and image_uri required, the exams table's columns reserved. */
    static final ManifestReader SEGMENT = new ManifestReader(List.of("exam_id", "image_uri"), ExamsTable.reservedColumns());

    @TempDir
    Path tmp;

    /** {@code csv} written to a new file, read by {@link #SEGMENT}. */
    Manifest read(String csv) throws Exception {
        Path f = tmp.resolve("m" + System.nanoTime() + ".csv");
        Files.writeString(f, csv);
        return SEGMENT.read(TestSpark.get(), f.toString());
    }

    /** The message {@link #SEGMENT} refuses {@code csv} with. */
    String refused(String csv) {
        return assertThrows(InvalidManifestException.class, () -> read(csv)).getMessage();
    }
}
