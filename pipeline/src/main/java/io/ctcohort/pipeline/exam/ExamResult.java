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
 * (contrast phase included), its measurements, its biomarkers and, for an exam with a reference label
 * map, its validation ({@code validation} table; null without a reference or for a failed exam). Staged in one JSON file per batch
 * of exams (see {@link StagingStore}); the engine's {@link BiomarkerValue} and {@link PhaseCall} are
 * staged as they are, structures as their table rows ({@link Measurement}).
 *
 * @param stageMillis per-stage wall time by {@link io.ctcohort.core.tables.Stage#label()}
 * @param phase       the exam's contrast phase and its source; null for a failed exam
 * @param format      {@link #FORMAT} when staged by this version; 0 in a file staged before biomarkers,
 *                    which a re-run never reuses ({@link StagingStore#okResults()}); likewise any format
 *                    below {@link #FORMAT}
 */
public record ExamResult(String examId, String fingerprint, String status, String errorClass, String errorMessage,
                         int[] dims, double[] spacing, Map<String, Long> stageMillis, String device,
                         String modelId, String modelSha256, String pipelineVersion, long processedAtMillis,
                         List<Measurement> measurements, List<BiomarkerValue> biomarkers, PhaseCall phase,
                         ValidationResult validation, int format) implements Serializable {
    /** The staged form: 2 added biomarkers and the contrast phase, 3 the validation against a reference. */
    public static final int FORMAT = 3;

    public ExamResult {
        measurements = measurements == null ? List.of() : List.copyOf(measurements);
        biomarkers = biomarkers == null ? List.of() : List.copyOf(biomarkers);
    }

    /** A result without a validation (an exam without a reference). */
    public ExamResult(String examId, String fingerprint, String status, String errorClass, String errorMessage,
                      int[] dims, double[] spacing, Map<String, Long> stageMillis, String device, String modelId,
                      String modelSha256, String pipelineVersion, long processedAtMillis,
                      List<Measurement> measurements, List<BiomarkerValue> biomarkers, PhaseCall phase, int format) {
        this(examId, fingerprint, status, errorClass, errorMessage, dims, spacing, stageMillis, device, modelId,
                modelSha256, pipelineVersion, processedAtMillis, measurements, biomarkers, phase, null, format);
    }

    /** An exam the engine measured. */
    public static ExamResult ok(ExamTask task, Analysis a, Map<String, Long> stageMillis, ModelIdentity model,
                                String pipelineVersion) {
        ExamMeasurement m = a.measurement();
        return new ExamResult(task.examId(), task.fingerprint(), Status.OK.value(), null, null,
                m.geometry().dims(), m.geometry().spacing(), stageMillis, a.device(), model.modelId(), model.sha256(),
                pipelineVersion, System.currentTimeMillis(), m.structures().stream().map(Measurement::of).toList(),
                m.biomarkers(), m.phase(), a.validation() == null ? null : ValidationResult.of(a.validation()), FORMAT);
    }

    /** An exam that failed: its error, no measurements, no biomarkers, no phase, no validation. */
    public static ExamResult failed(ExamTask task, String errorClass, String errorMessage,
                                    Map<String, Long> stageMillis, String device, ModelIdentity model,
                                    String pipelineVersion) {
        return new ExamResult(task.examId(), task.fingerprint(), Status.FAILED.value(), errorClass, errorMessage,
                null, null, stageMillis, device, model.modelId(), model.sha256(), pipelineVersion,
                System.currentTimeMillis(), List.of(), List.of(), null, null, FORMAT);
    }

    /** {@link Status}'s value, as the exams table holds it. */
    public boolean ok() {
        return Status.OK.value().equals(status);
    }
}
