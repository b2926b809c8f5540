package io.ctcohort.engine.phantom;

import io.ctcohort.engine.image.Geometry;
import io.ctcohort.engine.image.VoxelView;

/**
 * How a phantom's voxel array is laid out relative to RAS+: new voxel axis {@code a} runs along
 * canonical axis {@code perm[a]}, reversed when {@code flip[a]}. Real archives hold LPS-like
 * (dcm2niix), LAS, RAS and occasionally permuted (reformatted) volumes; the generator draws
 * among them so that readers and reorientation are exercised.
 */
public record AcquisitionOrientation(String name, int[] perm, boolean[] flip) {

    static final AcquisitionOrientation[] COMMON = {
        new AcquisitionOrientation("RAS", new int[] {0, 1, 2}, new boolean[] {false, false, false}),
        new AcquisitionOrientation("LPS", new int[] {0, 1, 2}, new boolean[] {true, true, false}),
        new AcquisitionOrientation("LAS", new int[] {0, 1, 2}, new boolean[] {true, false, false}),
        new AcquisitionOrientation("LPI", new int[] {0, 1, 2}, new boolean[] {true, true, true}),
        new AcquisitionOrientation("PLS", new int[] {1, 0, 2}, new boolean[] {true, true, false}),
        new AcquisitionOrientation("SAR", new int[] {2, 1, 0}, new boolean[] {false, false, false}),
    };
    /** Relative frequencies of {@link #COMMON}. */
    static final double[] WEIGHTS = {0.2, 0.3, 0.2, 0.1, 0.1, 0.1};

    /** The geometry of the stored array, given the canonical one. */
    Geometry apply(Geometry canonical) {
        return canonical.reoriented(perm, flip);
    }

    /** The stored array as a view of the canonical one. */
    VoxelView view(Geometry canonical) {
        return VoxelView.oriented(canonical.dims(), perm, flip);
    }
}
