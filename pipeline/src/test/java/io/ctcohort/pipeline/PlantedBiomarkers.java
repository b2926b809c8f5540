package io.ctcohort.pipeline;

import io.ctcohort.engine.infer.Device;
import io.ctcohort.engine.measure.BiomarkerValue;
import io.ctcohort.engine.measure.ExamMeasurement;
import io.ctcohort.engine.stats.StructureStatistics;
import io.ctcohort.pipeline.exam.Analysis;
import io.ctcohort.pipeline.exam.ExamAnalyzer;
import io.ctcohort.pipeline.exam.ExamTask;
import io.ctcohort.pipeline.exam.ImageSource;
import io.ctcohort.pipeline.exam.ModelIdentity;
import java.util.ArrayList;
import java.util.List;

/**
 * A real analyzer whose measurements gain one biomarker row per structure, derived from the
 * measurement itself: {@value #BIOMARKER} = the structure's volume in ml, or null with
 * {@value #ABSENT} where it has no voxel. The pipeline tests check that biomarker rows travel from
 * the engine's {@link ExamMeasurement} to the table exactly once, whatever the engine's biomarker
 * definitions give (engine.biomarkers is tested on its own phantoms): with these rows the expected
 * values are known (the same exam's measurements rows).
 */
public final class PlantedBiomarkers implements ExamAnalyzer {
    private static final long serialVersionUID = 1L;
    public static final String BIOMARKER = "test_volume_ml";
    public static final String ABSENT = "structure absent";

    private final ExamAnalyzer real;

    public PlantedBiomarkers(ExamAnalyzer real) {
        this.real = real;
    }

    @Override
    public String jobName() {
        return real.jobName();
    }

    @Override
    public ModelIdentity identity() {
        return real.identity();
    }

    @Override
    public int structureCount() {
        return real.structureCount();
    }

    @Override
    public long taskInputBytes() {
        return real.taskInputBytes();
    }

    @Override
    public boolean needsMask() {
        return real.needsMask();
    }

    @Override
    public ExamAnalyzer forTask(Integer assignedGpu) {
        return new PlantedBiomarkers(real.forTask(assignedGpu));
    }

    @Override
    public Device device() {
        return real.device();
    }

    @Override
    public Analysis analyze(ExamTask task, ImageSource images) throws Exception {
        return plant(real.analyze(task, images));
    }

    @Override
    public PreparedExam prepare(ExamTask task, ImageSource images) throws Exception {
        PreparedExam prepared = real.prepare(task, images);
        return () -> plant(prepared.finish());
    }

    private static Analysis plant(Analysis a) {
        ExamMeasurement m = a.measurement();
        List<BiomarkerValue> biomarkers = new ArrayList<>(m.biomarkers());
        for (StructureStatistics s : m.structures()) {
            biomarkers.add(s.present() ? BiomarkerValue.of(BIOMARKER, s.structure(), s.volumeMl(), "ml")
                    : BiomarkerValue.missing(BIOMARKER, s.structure(), "ml", ABSENT));
        }
        return new Analysis(new ExamMeasurement(m.geometry(), m.structures(), m.phase(), biomarkers),
                a.stageMillis(), a.device());
    }
}
