package io.ctcohort.pipeline.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.engine.input.ImageRef;
import io.ctcohort.pipeline.manifest.InvalidManifestException;
import io.ctcohort.pipeline.manifest.Manifest;
import io.ctcohort.pipeline.manifest.ManifestEntry;
import io.ctcohort.pipeline.privacy.Pseudonyms.Kind;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** segment --pseudonym-key on a hand-written manifest, and the refusal of original UIDs in a shared run. */
class ManifestPseudonymsTest {
    static final StructType PASS = new StructType().add("patient_id", DataTypes.StringType)
            .add("image_uri", DataTypes.StringType).add("age", DataTypes.DoubleType)
            .add("scan_date", DataTypes.LongType).add("series_instance_uid", DataTypes.StringType);

    static Manifest manifest(String examId, String patient, Long date, String seriesUid) {
        return new Manifest("m.csv", PASS, List.of(new ManifestEntry(2, examId, ImageRef.parse("/a/ct.nii.gz"), null,
                new Object[] {patient, "/a/ct.nii.gz", 93.0, date, seriesUid})));
    }

    @Test
    void idsBecomeTheCatalogsPseudonymsAgesAreTopCodedDatesShifted() {
        Pseudonyms p = new Pseudonyms(PseudonymsTest.KEY);
        Deidentification d = new Deidentification(p, DatePolicy.SHIFT, false);
        Manifest m = ManifestPseudonyms.apply(manifest("ACC-77", "MRN-0042", 20250415L, "1.2.840.5.6.7"), d);
        ManifestEntry e = m.entries().get(0);
        assertEquals(p.of(Kind.EXAM, "ACC-77"), e.examId());
        assertEquals(DataTypes.StringType, m.passThrough().apply("scan_date").dataType(), "dates become text");
        assertEquals(List.of("P-03c133b60ecd2ad486a51a5c", "/a/ct.nii.gz", 90.0, "2025-09-05",
                p.of(Kind.SERIES, "1.2.840.5.6.7")), List.of(e.values()));
        assertEquals("/a/ct.nii.gz", e.imageUri().toString(), "the custodian's locator is untouched");

        // A manifest the catalog already treated: the same again, dates not shifted twice.
        Manifest twice = ManifestPseudonyms.apply(new Manifest("m.csv", m.passThrough(), m.entries()), d);
        assertEquals(List.of(e.values()), List.of(twice.entries().get(0).values()));
        assertEquals(e.examId(), twice.entries().get(0).examId());
    }

    @Test
    void aSharedRunRefusesOriginalUidsAndSaysWhatToDo() {
        InvalidManifestException ex = assertThrows(InvalidManifestException.class, () -> ManifestPseudonyms
                .refuseOriginalUids(manifest("1.2.840.113619.2.55", "MRN-1", null, null), Deidentification.SHARED));
        assertTrue(ex.getMessage().contains("exam_id on row 2") && ex.getMessage().contains("--pseudonym-key")
                && ex.getMessage().contains("--keep-identifiers"), ex.getMessage());
        assertThrows(InvalidManifestException.class, () -> ManifestPseudonyms.refuseOriginalUids(
                manifest("EX1", "MRN-1", null, "2.25.1234.5678"), Deidentification.SHARED));
        // Plain exam ids pass; so does any manifest in a run that pseudonymizes or keeps identifiers.
        ManifestPseudonyms.refuseOriginalUids(manifest("EX1.2.3", "MRN-1", null, null), Deidentification.SHARED);
        ManifestPseudonyms.refuseOriginalUids(manifest("1.2.840.113619.2.55", "MRN-1", null, null),
                Deidentification.KEEP);
    }
}
