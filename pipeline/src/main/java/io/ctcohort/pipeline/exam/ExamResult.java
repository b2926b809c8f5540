package io.ctcohort.pipeline.exam;

import io.ctcohort.core.tables.Status;
import io.ctcohort.engine.measure.BiomarkerValue;
import io.ctcohort.engine.measure.ExamMeasurement;
import io.ctcohort.engine.measure.PhaseCall;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What processing one exam produced, ok or failed: the result columns of its {@code exams} row
 * (contrast phase included), its measurements and its biomarkers. Staged in one JSON file per batch
 * of exams (see {@link StagingStore}); the engine's {@link BiomarkerValue} and {@link PhaseCall} are
 * staged as they are, structures as their table rows ({@link Measurement}).
 *
 * @param stageMillis per-stage wall time by {@link io.ctcohort.core.tables.Stage#label()}
 * @param phase       the exam's contrast phase and its source; null for a failed exam
 * @param format      {@link #FORMAT} when staged by this version; 0 in a file staged before biomarkers,
 *                    which a re-run never reuses ({@link StagingStore#okResults()})
 */
public record ExamResult(String examId, String fingerprint, String status, String errorClass, String errorMessage,
                         int[] dims, double[] spacing, Map<String, Long> stageMillis, String device,
                         String modelId, String modelSha256, String pipelineVersion, long processedAtMillis,
                         List<Measurement> measurements, List<BiomarkerValue> biomarkers, PhaseCall phase,
                         int format) implements Serializable {
    /** The staged form: 2 added biomarkers and the contrast phase. */
    public static final int FORMAT = 2;

    public ExamResult {
        measurements = measurements == null ? List.of() : List.copyOf(measurements);
        biomarkers = biomarkers == null ? List.of() : List.copyOf(biomarkers);
    }

    /** An exam the engine measured. */
    public static ExamResult ok(ExamTask task, Analysis a, Map<String, Long> stageMillis, ModelIdentity model,
                                String pipelineVersion) {
        ExamMeasurement m = a.measurement();
        return new ExamResult(task.examId(), task.fingerprint(), Status.OK.value(), null, null,
                m.geometry().dims(), m.geometry().spacing(), stageMillis, a.device(), model.modelId(), model.sha256(),
                pipelineVersion, System.currentTimeMillis(), m.structures().stream().map(Measurement::of).toList(),
                m.biomarkers(), m.phase(), FORMAT);
    }

    /** An exam that failed: its error, no measurements, no biomarkers, no phase. */
    public static ExamResult failed(ExamTask task, String errorClass, String errorMessage,
                                    Map<String, Long> stageMillis, String device, ModelIdentity model,
                                    String pipelineVersion) {
        return new ExamResult(task.examId(), task.fingerprint(), Status.FAILED.value(), errorClass, errorMessage,
                null, null, stageMillis, device, model.modelId(), model.sha256(), pipelineVersion,
                System.currentTimeMillis(), List.of(), List.of(), null, FORMAT);
    }

    /** {@link Status}'s value, as the exams table holds it. */
    public boolean ok() {
        return Status.OK.value().equals(status);
    }
}
