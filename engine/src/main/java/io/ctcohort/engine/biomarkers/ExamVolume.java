package io.ctcohort.engine.biomarkers;

import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.LabelVolume;
import io.ctcohort.engine.image.Reorientation;
import io.ctcohort.engine.image.VoxelView;
import io.ctcohort.engine.labels.LabelMap;
import io.ctcohort.engine.stats.LabelBoxes;
import io.ctcohort.engine.stats.StatisticsCalculator;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * One exam's CT and label map read on its canonical (RAS+) grid without moving a voxel: x increases
 * toward the patient's right, y toward anterior, z toward superior (axial slices are planes of z), so every
 * biomarker can say "anterior" and "axial slice" whatever order the arrays are stored in. Holds the
 * canonical bounding box of every structure of the vocabulary, found by the statistics' one pass
 * over the voxels, so that each biomarker works on a crop.
 */
public final class ExamVolume {
    private final short[] hu;
    private final byte[] u8;
    private final short[] u16;
    private final VoxelView view;
    private final int nx;
    private final int ny;
    private final int nz;
    private final double[] spacing;
    private final Map<String, Integer> labelOf = new HashMap<>();
    private final LabelMap names;
    private final Box[] boxes;
    private final Box[] storedBoxes;
    private final int[] storedDims;

    private ExamVolume(CtVolume ct, LabelVolume labels, LabelMap names, LabelBoxes found) {
        Reorientation r = Reorientation.toCanonical(ct.geometry());
        this.hu = ct.hu();
        this.u8 = labels.uint8();
        this.u16 = labels.uint16();
        this.view = r.canonicalView();
        this.nx = view.nx();
        this.ny = view.ny();
        this.nz = view.nz();
        this.spacing = r.canonical().spacing();
        this.names = names;
        for (Map.Entry<Integer, String> e : names.asMap().entrySet()) {
            labelOf.put(e.getValue(), e.getKey());
        }
        int[][] source = new int[names.maxLabel() + 1][];
        for (int l = 1; l < source.length; l++) {
            source[l] = found.box(l);
        }
        this.boxes = canonicalBoxes(r, source);
        this.storedDims = r.source().dims();
        this.storedBoxes = new Box[source.length];
        for (int l = 0; l < source.length; l++) {
            int[] s = source[l];
            storedBoxes[l] = s == null ? null : new Box(s[0], s[1], s[2], s[3], s[4], s[5]);
        }
    }

    /**
     * The CT and its label map (same grid) with the label names and the boxes the statistics pass
     * found ({@link StatisticsCalculator#compute(CtVolume, LabelVolume, LabelMap, LabelBoxes)}).
     */
    public static ExamVolume of(CtVolume ct, LabelVolume labels, LabelMap names, LabelBoxes boxes) {
        return new ExamVolume(ct, labels, names, boxes);
    }

    /** As above, running the statistics pass for the boxes (for callers without statistics). */
    public static ExamVolume of(CtVolume ct, LabelVolume labels, LabelMap names) {
        LabelBoxes boxes = LabelBoxes.forLabels(labels);
        StatisticsCalculator.compute(ct, labels, names, boxes);
        return new ExamVolume(ct, labels, names, boxes);
    }

    int nx() {
        return nx;
    }

    int ny() {
        return ny;
    }

    int nz() {
        return nz;
    }

    /** Voxel size in mm along canonical x (left-right), y (antero-posterior), z (axial). */
    double spacing(int axis) {
        return spacing[axis];
    }

    /** Array index of canonical voxel (x, y, z). */
    int index(int x, int y, int z) {
        return view.index(x, y, z);
    }

    /** Array index step of one canonical voxel along x (negative when the array runs right to left). */
    int strideX() {
        return view.sx();
    }

    int hu(int index) {
        return hu[index];
    }

    int label(int index) {
        return u8 != null ? u8[index] & 0xFF : u16[index] & 0xFFFF;
    }

    /** Whether the model's vocabulary names this structure (it may still be empty in the mask). */
    boolean inVocabulary(String structure) {
        return labelOf.containsKey(structure);
    }

    /** Label of a structure of the vocabulary, or -1. */
    int labelOf(String structure) {
        return labelOf.getOrDefault(structure, -1);
    }

    /** Name of a label, or null. */
    String nameOf(int label) {
        return names.name(label);
    }

    LabelMap names() {
        return names;
    }

    /** Canonical bounding box of a structure, or null when it is not in the vocabulary or has no voxel. */
    Box box(String structure) {
        int l = labelOf(structure);
        return l < 0 || l >= boxes.length ? null : boxes[l];
    }

    /**
     * Bounding box of a structure in the arrays' own (stored) index order, or null: for definitions
     * that do not depend on orientation (an erosion by the symmetric cross), read in storage order.
     */
    Box storedBox(String structure) {
        int l = labelOf(structure);
        return l < 0 || l >= storedBoxes.length ? null : storedBoxes[l];
    }

    /** The arrays' own dimensions, in storage order. */
    int[] storedDims() {
        return storedDims.clone();
    }

    /** Array index of stored voxel (i, j, k). */
    int storedIndex(int i, int j, int k) {
        return i + storedDims[0] * (j + storedDims[1] * k);
    }

    private Box[] canonicalBoxes(Reorientation r, int[][] source) {
        int[] n = r.source().dims();
        Box[] out = new Box[source.length];
        for (int l = 0; l < source.length; l++) {
            int[] s = source[l];
            if (s == null) {
                continue;
            }
            int[] lo = new int[3];
            int[] hi = new int[3];
            for (int b = 0; b < 3; b++) {
                int a = r.sourceAxis(b);
                int sLo = s[2 * a];
                int sHi = s[2 * a + 1];
                lo[b] = r.isFlipped(b) ? n[a] - 1 - sHi : sLo;
                hi[b] = r.isFlipped(b) ? n[a] - 1 - sLo : sHi;
            }
            out[l] = new Box(lo[0], hi[0], lo[1], hi[1], lo[2], hi[2]);
        }
        return out;
    }

    @Override
    public String toString() {
        return "ExamVolume(" + nx + "x" + ny + "x" + nz + ", spacing " + Arrays.toString(spacing) + ")";
    }
}
