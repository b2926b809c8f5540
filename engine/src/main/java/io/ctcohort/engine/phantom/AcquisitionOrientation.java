package io.ctcohort.engine.phantom;

import io.ctcohort.engine.image.Geometry;

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

    /** The geometry of the reoriented array, given the canonical one. */
    Geometry apply(Geometry g) {
        int[] n = g.dims();
        double[] sp = g.spacing();
        double[] a = g.affine();
        double[] out = new double[16];
        out[15] = 1;
        int[] dims = new int[3];
        double[] spacing = new double[3];
        // world = A * old, old[perm[j]] = flip[j] ? n-1-new[j] : new[j]
        for (int r = 0; r < 3; r++) {
            out[4 * r + 3] = a[4 * r + 3];
        }
        for (int j = 0; j < 3; j++) {
            int c = perm[j];
            dims[j] = n[c];
            spacing[j] = sp[c];
            for (int r = 0; r < 3; r++) {
                double col = a[4 * r + c];
                out[4 * r + j] = flip[j] ? -col : col;
                if (flip[j]) {
                    out[4 * r + 3] += col * (n[c] - 1);
                }
            }
        }
        return new Geometry(dims[0], dims[1], dims[2], out, spacing);
    }

    /** Maps each new linear index to its canonical linear index. */
    int[] sourceIndex(Geometry canonical) {
        int[] n = canonical.dims();
        int[] d = {n[perm[0]], n[perm[1]], n[perm[2]]};
        int[] src = new int[Math.toIntExact(canonical.voxelCount())];
        int[] stride = {1, n[0], n[0] * n[1]};
        int i = 0;
        int[] o = new int[3];
        for (int k = 0; k < d[2]; k++) {
            o[perm[2]] = flip[2] ? d[2] - 1 - k : k;
            for (int j = 0; j < d[1]; j++) {
                o[perm[1]] = flip[1] ? d[1] - 1 - j : j;
                for (int x = 0; x < d[0]; x++) {
                    o[perm[0]] = flip[0] ? d[0] - 1 - x : x;
                    src[i++] = o[0] * stride[0] + o[1] * stride[1] + o[2] * stride[2];
                }
            }
        }
        return src;
    }
}
