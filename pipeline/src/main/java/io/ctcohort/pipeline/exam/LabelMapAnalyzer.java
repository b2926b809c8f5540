package io.ctcohort.pipeline.exam;

import io.ctcohort.engine.labels.LabelMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * An analyzer whose rows are the structures of one label map under one model identity: {@code segment}
 * (the model's labels) and {@code measure} (the given label maps'). Holds what both ship to the
 * executors: the job's name, the identity and the label -> structure table.
 */
abstract class LabelMapAnalyzer implements ExamAnalyzer {
    private static final long serialVersionUID = 1L;

    private final String jobName;
    private final ModelIdentity identity;
    private final TreeMap<Integer, String> labels;

    LabelMapAnalyzer(String jobName, ModelIdentity identity, Map<Integer, String> labels) {
        this.jobName = jobName;
        this.identity = identity;
        this.labels = new TreeMap<>(labels);
    }

    @Override
    public final String jobName() {
        return jobName;
    }

    @Override
    public final int structureCount() {
        return labels.size();
    }

    @Override
    public final ModelIdentity identity() {
        return identity;
    }

    /** The label -> structure table, in label order. */
    final Map<Integer, String> labels() {
        return labels;
    }

    /** The vocabulary the exam's label map is measured with. */
    final LabelMap vocabulary() {
        return LabelMap.of(labels);
    }
}
