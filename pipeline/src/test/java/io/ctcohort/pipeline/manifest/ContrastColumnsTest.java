package io.ctcohort.pipeline.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.engine.measure.ContrastPhase;
import io.ctcohort.engine.measure.PhaseCall;
import io.ctcohort.engine.measure.PhaseSource;
import io.ctcohort.pipeline.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The manifest's contrast columns: parsed once into each entry's given phase, refused clearly when wrong. */
class ContrastColumnsTest extends ManifestFileTest {
    private static PhaseCall manifest(ContrastPhase p) {
        return new PhaseCall(p, PhaseSource.MANIFEST, null);
    }

    @Test
    void contrastPhaseIsAnInputNotAPassThroughColumn() throws Exception {
        Manifest m = read("exam_id,image_uri,contrast_phase,contrast_agent_dicom,contrast_route_dicom\n"
                + "A,a.nii,Portal-Venous,,\n"
                + "B,b.nii,arterial,IOHEXOL 350,IV\n" // the manifest wins over the header
                + "C,c.nii,,350,IV\n"                 // no manifest phase: the header's hint
                + "D,d.nii,unknown,,\n"               // unknown: nothing given, the engine estimates
                + "E,e.nii,NATIVE,,\n");
        assertEquals(List.of("image_uri", "contrast_agent_dicom", "contrast_route_dicom"),
                List.of(m.passThrough().fieldNames()));
        assertEquals(DataTypes.StringType, m.passThrough().apply("contrast_agent_dicom").dataType(),
                "an agent that looks like a number stays text");
        assertEquals("350", m.entries().get(2).values()[1]);
        assertEquals(manifest(ContrastPhase.PORTAL_VENOUS), m.entries().get(0).givenPhase());
        assertEquals(manifest(ContrastPhase.ARTERIAL), m.entries().get(1).givenPhase());
        PhaseCall hint = m.entries().get(2).givenPhase();
        assertEquals(PhaseSource.DICOM, hint.source());
        assertEquals(ContrastPhase.UNKNOWN, hint.phase(), "the header says contrast, not which phase");
        assertNull(m.entries().get(3).givenPhase());
        assertEquals(manifest(ContrastPhase.NATIVE), m.entries().get(4).givenPhase());
        // A shared run drops the header's free text but keeps the phase resolved from it.
        Manifest shared = m.without(io.ctcohort.pipeline.privacy.Deidentification.CUSTODIAN_COLUMNS);
        assertEquals(List.of(), List.of(shared.passThrough().fieldNames()));
        assertEquals(hint, shared.entries().get(2).givenPhase());
        assertFalse(List.of(m.toDataFrame(TestSpark.get()).columns()).contains("contrast_phase"));
    }

    @Test
    void aValueThatIsNoPhaseIsRefusedNamingFileRowAndValue() throws Exception {
        Path f = tmp.resolve("phases.csv");
        Files.writeString(f, "exam_id,image_uri,contrast_phase\nA,a.nii,arterial\nB,b.nii,venus\nC,c.nii,late arterial\n");
        String msg = assertThrows(InvalidManifestException.class, () -> SEGMENT.read(TestSpark.get(), f.toString()))
                .getMessage();
        assertTrue(msg.startsWith("manifest " + f + " refused (2 problems)"), msg);
        assertTrue(msg.contains("line 3: contrast_phase 'venus' is not one of native, arterial, portal_venous, "
                + "delayed, unknown"), msg);
        assertTrue(msg.contains("line 4: contrast_phase 'late arterial'"), msg);
    }

    @Test
    void theColumnNamesAreMatchedWithoutCase() throws Exception {
        Manifest m = read("exam_id,image_uri,Contrast_Phase,CONTRAST_AGENT_DICOM\nA,a.nii,delayed,\nB,b.nii,,IOPAMIDOL\n");
        assertEquals(List.of("image_uri", "CONTRAST_AGENT_DICOM"), List.of(m.passThrough().fieldNames()));
        assertEquals(manifest(ContrastPhase.DELAYED), m.entries().get(0).givenPhase());
        assertEquals(PhaseSource.DICOM, m.entries().get(1).givenPhase().source());
    }

    @Test
    void theSourceColumnStaysReserved() throws Exception {
        String msg = refused("exam_id,image_uri,contrast_phase_source\nA,a.nii,manifest\n");
        assertTrue(msg.contains("column contrast_phase_source clashes with a result column"), msg);
    }

    @Test
    void parquetManifestsAreParsedTheSameWay() {
        SparkSession spark = TestSpark.get();
        StructType schema = new StructType().add("exam_id", DataTypes.StringType).add("image_uri", DataTypes.StringType)
                .add("contrast_phase", DataTypes.StringType);
        Path good = tmp.resolve("good.parquet");
        spark.createDataFrame(List.of(RowFactory.create("A", "a.nii", "delayed"), RowFactory.create("B", "b.nii", null)),
                schema).coalesce(1).write().parquet(good.toString());
        Manifest m = SEGMENT.read(spark, good.toString());
        assertEquals(List.of("image_uri"), List.of(m.passThrough().fieldNames()));
        assertEquals(manifest(ContrastPhase.DELAYED), m.entries().get(0).givenPhase());
        assertNull(m.entries().get(1).givenPhase());

        Path bad = tmp.resolve("bad.parquet");
        spark.createDataFrame(List.of(RowFactory.create("A", "a.nii", "arterial"), RowFactory.create("B", "b.nii", "x")),
                schema).coalesce(1).write().parquet(bad.toString());
        String msg = assertThrows(InvalidManifestException.class, () -> SEGMENT.read(spark, bad.toString())).getMessage();
        assertTrue(msg.contains(bad.toString()) && msg.contains("row 2: contrast_phase 'x' is not one of"), msg);

        Path typed = tmp.resolve("typed.parquet");
        spark.createDataFrame(List.of(RowFactory.create("A", "a.nii", 1)), new StructType()
                .add("exam_id", DataTypes.StringType).add("image_uri", DataTypes.StringType)
                .add("contrast_phase", DataTypes.IntegerType)).coalesce(1).write().parquet(typed.toString());
        msg = assertThrows(InvalidManifestException.class, () -> SEGMENT.read(spark, typed.toString())).getMessage();
        assertTrue(msg.contains("column contrast_phase must be a string, is int"), msg);
    }

    @Test
    void whatTheDicomHeaderSays() {
        PhaseCall contrast = ContrastColumns.dicomHint("IOPAMIDOL 370", "IV");
        assertEquals(new PhaseCall(ContrastPhase.UNKNOWN, PhaseSource.DICOM, ContrastColumns.DICOM_CONTRAST_REASON),
                contrast);
        assertEquals(contrast, ContrastColumns.dicomHint(null, "INTRAVENOUS"), "a route alone says contrast too");
        assertEquals(new PhaseCall(ContrastPhase.NATIVE, PhaseSource.DICOM, null), ContrastColumns.dicomHint(" None ", ""));
        assertNull(ContrastColumns.dicomHint(null, null), "a silent header gives no hint");
        assertNull(ContrastColumns.dicomHint("", "  "));
        assertNull(ContrastColumns.dicomHint("GASTROGRAFIN", "ORAL"), "oral contrast does not reach the vessels");
    }
}
