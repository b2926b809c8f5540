package io.ctcohort.pipeline.exam;

import io.ctcohort.engine.stats.StructureStatistics;
import java.util.ArrayList;
import java.util.List;

/** Engine statistics -> measurement rows. */
public final class Measurements {
    private Measurements() {
    }

    public static List<Measurement> of(List<StructureStatistics> stats) {
        List<Measurement> out = new ArrayList<>(stats.size());
        for (StructureStatistics s : stats) {
            out.add(new Measurement(s.structure(), s.label(), s.voxelCount(), s.volumeMl(),
                    Measurement.finiteOrNull(s.huMean()), Measurement.finiteOrNull(s.huStd()),
                    Measurement.finiteOrNull(s.huMedian()), Measurement.finiteOrNull(s.huP05()),
                    Measurement.finiteOrNull(s.huP95()), s.touchesBorder()));
        }
        return out;
    }
}
