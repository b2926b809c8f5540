package io.ctcohort.pipeline.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.core.tables.ExamsTable;
import io.ctcohort.engine.labels.LabelMap;
import io.ctcohort.pipeline.TestSpark;
import io.ctcohort.pipeline.exam.MeasureAnalyzer;
import io.ctcohort.pipeline.exam.ExamAnalyzer;
import io.ctcohort.pipeline.job.CohortJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class ManifestReaderTest extends ManifestFileTest {
    @Test
    void goodCsvKeepsColumnsAndTypes() throws Exception {
        Manifest m = read("exam_id,patient_id,age,sex,weight_kg,image_uri,note\n"
                + "A1,007,61.5,F,70,/data/a1.nii.gz,\"first, with comma\"\n"
                + "A2,008,40,M,82,s3a://bucket/a2.nii.gz,\n");
        assertEquals(2, m.size());
        StructType p = m.passThrough();
        assertEquals(List.of("patient_id", "age", "sex", "weight_kg", "image_uri", "note"), List.of(p.fieldNames()));
        assertEquals(DataTypes.StringType, p.apply("patient_id").dataType(), "ids keep leading zeros");
        assertEquals(DataTypes.DoubleType, p.apply("age").dataType());
        assertEquals(DataTypes.LongType, p.apply("weight_kg").dataType());
        ManifestEntry a1 = m.entries().get(0);
        assertEquals("A1", a1.examId());
        assertEquals("/data/a1.nii.gz", a1.imageUri().toString());
        assertEquals("007", a1.values()[0]);
        assertEquals(61.5, a1.values()[1]);
        assertEquals(70L, a1.values()[3]);
        assertEquals("first, with comma", a1.values()[5]);
        assertNull(m.entries().get(1).values()[5]);
        assertEquals("s3a://bucket/a2.nii.gz", m.entries().get(1).imageUri().toString());
        assertEquals(2, m.toDataFrame(TestSpark.get()).count());
    }

    /** image_uri, mask_uri and reference_mask_uri are parsed once, here: a bad one refuses the manifest naming its row. */
    @Test
    void imageReferencesAreParsedAndBadOnesNameTheirRow() throws Exception {
        Manifest m = read("exam_id,image_uri\nA,s3a://bucket/study#1.2.840.10008.9\nB,hdfs://nn/b.nii.gz\n");
        assertEquals("s3a://bucket/study", m.entries().get(0).imageUri().location());
        assertEquals("1.2.840.10008.9", m.entries().get(0).imageUri().seriesUid());
        assertEquals(io.ctcohort.engine.input.ImageRef.Scheme.HDFS, m.entries().get(1).imageUri().scheme());

        String msg = refused("exam_id,image_uri,reference_mask_uri\nA,s3://bucket/a.nii.gz,\n"
                + "B,/data/study#abc,\nC,/data/c.nii.gz,gs://b/c_ref.nii.gz\n");
        assertTrue(msg.contains("line 2: image_uri 's3://bucket/a.nii.gz': unknown scheme s3://"), msg);
        assertTrue(msg.contains("line 3: image_uri '/data/study#abc': after '#' comes a SeriesInstanceUID"), msg);
        assertTrue(msg.contains("line 4: reference_mask_uri 'gs://b/c_ref.nii.gz': unknown scheme gs://"), msg);
        assertFalse(msg.contains("empty image_uri"), "a bad reference is not also reported empty: " + msg);
    }

    @Test
    void relativeImagePathsAreRelativeToTheManifest() throws Exception {
        Manifest m = read("exam_id,image_uri\nA,images/a.nii.gz\n");
        assertEquals(tmp.resolve("images/a.nii.gz").toUri().getPath(),
                new org.apache.hadoop.fs.Path(m.entries().get(0).imageUri().location()).toUri().getPath());
        assertEquals("images/a.nii.gz", m.entries().get(0).values()[0], "the column itself is kept as written");
    }

    /**
     * reference_mask_uri: resolved as image_uri is, empty = no reference; still a pass-through column
     * (the shared tables drop it as a custodian column), and kept through the pseudonymization's copy.
     */
    @Test
    void referenceMaskUriIsAnOptionalInput() throws Exception {
        Manifest m = read("exam_id,image_uri,reference_mask_uri,contrast_phase\nA,a.nii.gz,refs/a.nii.gz,native\n"
                + "B,b.nii.gz,,\nC,c.nii.gz,s3a://bucket/c_ref.nii.gz,\n");
        assertEquals(tmp.resolve("refs/a.nii.gz").toUri().getPath(),
                new org.apache.hadoop.fs.Path(m.entries().get(0).referenceMaskUri().location()).toUri().getPath());
        assertNull(m.entries().get(1).referenceMaskUri());
        assertEquals("s3a://bucket/c_ref.nii.gz", m.entries().get(2).referenceMaskUri().toString());
        assertTrue(List.of(m.passThrough().fieldNames()).contains("reference_mask_uri"));
        ManifestEntry pseudonymized = m.entries().get(0).with("E-0", m.entries().get(0).values());
        assertEquals(m.entries().get(0).referenceMaskUri(), pseudonymized.referenceMaskUri());
        assertEquals(m.entries().get(0).givenPhase(), pseudonymized.givenPhase());
        Manifest shared = m.without(io.ctcohort.pipeline.privacy.Deidentification.CUSTODIAN_COLUMNS);
        assertFalse(List.of(shared.passThrough().fieldNames()).contains("reference_mask_uri"));
        assertEquals(m.entries().get(0).referenceMaskUri(), shared.entries().get(0).referenceMaskUri());
    }

    @Test
    void missingRequiredColumnIsRefused() {
        String msg = refused("exam_id,age\nA,50\n");
        assertTrue(msg.contains("missing required column(s) [image_uri]"), msg);
        assertTrue(msg.contains("nothing was processed"), msg);
    }

    @Test
    void everyBadRowIsNamed() {
        String msg = refused("exam_id,age,image_uri\n"
                + "A,50,a.nii\n"      // line 2
                + "B,abc,b.nii\n"     // line 3: age not a number
                + "A,51,c.nii\n"      // line 4: duplicate of line 2
                + "C,52\n"            // line 5: too few fields
                + ",53,d.nii\n");     // line 6: empty exam_id
        assertTrue(msg.contains("line 3: age 'abc' is not a number"), msg);
        assertTrue(msg.contains("line 5: 2 fields, header has 3"), msg);
        // Field-count and type problems are reported first; fix them and the next pass names the rest.
        String msg2 = refused("exam_id,age,image_uri\nA,50,a.nii\nB,51,b.nii\nA,52,c.nii\n,53,d.nii\nE,54,\n");
        assertTrue(msg2.contains("duplicate exam_id 'A' on lines [2, 4]"), msg2);
        assertTrue(msg2.contains("line 5: empty exam_id"), msg2);
        assertTrue(msg2.contains("line 6: empty image_uri"), msg2);
    }

    @Test
    void resultColumnNamesAreReserved() {
        String msg = refused("exam_id,image_uri,status\nA,a.nii,x\n");
        assertTrue(msg.contains("column status clashes"), msg);
    }

    @Test
    void measureNeedsMaskUri() throws Exception {
        ManifestReader measure = new ManifestReader(List.of("exam_id", "image_uri", "mask_uri"), ExamsTable.reservedColumns());
        Path f = tmp.resolve("m.csv");
        Files.writeString(f, "exam_id,image_uri\nA,a.nii\n");
        String msg = assertThrows(InvalidManifestException.class, () -> measure.read(TestSpark.get(), f.toString()))
                .getMessage();
        assertTrue(msg.contains("[mask_uri]"), msg);
    }

    @Test
    void parquetManifestKeepsItsTypesAndIsValidatedToo() {
        SparkSession spark = TestSpark.get();
        StructType schema = new StructType().add("exam_id", DataTypes.StringType).add("image_uri", DataTypes.StringType)
                .add("age", DataTypes.IntegerType).add("sex", DataTypes.StringType);
        Path good = tmp.resolve("good.parquet");
        spark.createDataFrame(List.of(RowFactory.create("A", "a.nii", 50, "F"), RowFactory.create("B", "b.nii", 60, "M")),
                schema).coalesce(1).write().parquet(good.toString());
        Manifest m = SEGMENT.read(spark, good.toString());
        assertEquals(2, m.size());
        assertEquals(DataTypes.IntegerType, m.passThrough().apply("age").dataType());

        Path dup = tmp.resolve("dup.parquet");
        spark.createDataFrame(List.of(RowFactory.create("A", "a.nii", 50, "F"), RowFactory.create("A", null, 60, "M")),
                schema).coalesce(1).write().parquet(dup.toString());
        String msg = assertThrows(InvalidManifestException.class, () -> SEGMENT.read(spark, dup.toString())).getMessage();
        assertTrue(msg.contains("duplicate exam_id 'A' on rows [1, 2]"), msg);
        assertTrue(msg.contains("row 2: empty image_uri"), msg);
    }

    @Test
    void aRefusedManifestStartsNoWork() throws Exception {
        Path f = tmp.resolve("bad.csv");
        Files.writeString(f, "exam_id,image_uri,mask_uri\nA,a.nii,a_seg.nii\nA,b.nii,b_seg.nii\n");
        Path out = tmp.resolve("out");
        ExamAnalyzer analyzer = new MeasureAnalyzer(LabelMap.total(), "masks:total");
        String msg = assertThrows(InvalidManifestException.class, () -> new CohortJob(TestSpark.get(), analyzer,
                CohortJob.Options.of(f.toString(), out.toString(), false), System.err).run()).getMessage();
        assertTrue(msg.contains("duplicate exam_id 'A'"), msg);
        assertFalse(Files.exists(out), "no output folder for a refused manifest");
    }
}
