package io.ctcohort.engine.stats;

import io.ctcohort.engine.TestData;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.LabelVolume;
import io.ctcohort.engine.nifti.NiftiReader;

/** TotalSegmentator's example exam: example_ct_sm + example_seg_fast (skips when absent). */
record ExampleExam(CtVolume ct, LabelVolume seg) {
    static ExampleExam load() {
        return new ExampleExam(NiftiReader.read(TestData.totalSegmentator("example_ct_sm.nii.gz")).toCt(),
                NiftiReader.read(TestData.totalSegmentator("example_seg_fast.nii.gz")).toLabels());
    }
}
