package io.ctcohort.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.LabelVolume;
import io.ctcohort.engine.input.ImageRef;
import io.ctcohort.engine.nifti.NiftiWriter;
import io.ctcohort.pipeline.exam.ExamAnalyzer;
import io.ctcohort.pipeline.exam.ExamResult;
import io.ctcohort.pipeline.exam.ExamRunner;
import io.ctcohort.pipeline.exam.ExamTask;
import io.ctcohort.pipeline.exam.HadoopConf;
import io.ctcohort.pipeline.exam.ImageSource;
import io.ctcohort.pipeline.exam.InputFingerprint;
import io.ctcohort.pipeline.exam.Measurement;
import io.ctcohort.pipeline.exam.ValidationResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code segment}'s path to the validation: the model's own label map is held against the reference,
 * with the exam's measurements as the model's side. The reference here is an empty label map on the
 * CT's grid, so every structure the model found has Dice 0 and a reference side of 0 voxels, and the
 * model's side equals the exam's measurements exactly.
 */
class SegmentValidationTest {
    @TempDir
    Path tmp;

    @Test
    void segmentValidatesItsOwnLabelMap() throws Exception {
        TestCohort.Exam exam = TestCohort.write(tmp.resolve("cohort"), 1, 5).get(0);
        HadoopConf conf = new HadoopConf(TestSpark.get().sparkContext().hadoopConfiguration());
        ImageSource images = new ImageSource(conf, 1);
        ImageRef uri = ImageRef.parse(exam.file().toUri().toString());
        CtVolume ct = images.readCt(uri);
        Path empty = tmp.resolve("empty_reference.nii.gz");
        NiftiWriter.write(LabelVolume.allocate(ct.geometry(), 255), empty);
        ImageRef reference = ImageRef.parse(empty.toUri().toString());

        ExamAnalyzer analyzer = TestModels.analyzer().forTask(null);
        String fp = InputFingerprint.ofAll(List.of(uri), conf.get(), 1).get(0).fingerprint();
        ExamTask task = new ExamTask(exam.examId(), uri, null, ExamTask.fingerprint(fp, null, "ref"),
                Files.size(exam.file()), analyzer.identity().sha256(), null, reference);
        ExamResult r = ExamRunner.run(analyzer, task, ExamRunner.prepare(analyzer, task, images), "test");
        assertTrue(r.ok(), r.errorMessage());
        ValidationResult v = r.validation();
        assertTrue(v.ok(), v.errorMessage());
        assertEquals(r.measurements().size(), v.structures().size());
        int found = 0;
        for (int i = 0; i < v.structures().size(); i++) {
            ValidationResult.Agreement a = v.structures().get(i);
            Measurement measured = r.measurements().get(i);
            assertEquals(measured, a.model(), "the model's side is the exam's measurement");
            assertEquals(0, a.reference().voxelCount());
            assertEquals(0, a.overlapVoxels());
            if (measured.voxelCount() > 0) {
                assertEquals(0.0, a.dice());
                found++;
            } else {
                assertNull(a.dice(), "neither mask holds " + measured.structure());
            }
        }
        assertTrue(found > 0, "the model segmented something");
    }
}
