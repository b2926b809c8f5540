package io.ctcohort.engine.infer;

import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.Geometry;
import io.ctcohort.engine.image.LabelVolume;
import io.ctcohort.engine.image.Reorientation;
import io.ctcohort.engine.image.VoxelView;
import io.ctcohort.engine.labels.LabelMap;
import io.ctcohort.engine.model.ModelCard;
import io.ctcohort.engine.model.ModelDirectory;
import io.ctcohort.engine.model.ModelPart;
import io.ctcohort.engine.model.ResolvedCard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Lock;

/**
 * Segments one CT with one model: reorient to RAS, crop to the non-zero box (nnU-Net), resample to
 * the card's spacing, normalize, run every part with nnU-Net's sliding window, merge the parts'
 * labels, and bring the label map back to the CT's own grid.
 *
 * <p>A {@link ModelHandle} hands out one segmenter per device ({@link ModelHandle#segmenter}); it is
 * thread-safe, and its predictors take their sessions and tile tensors from the handle, created on
 * the first {@link #segment} and shared by all calls. Card values are the handle's
 * {@link ResolvedCard}: no default is applied here.
 *
 * <p>Back to the original grid: TotalSegmentator resamples the label map with order 0 (nearest
 * neighbour), nnU-Net resamples the logits. Labels are computed at model resolution and brought
 * back by {@link LabelRestore}: nearest neighbour by default, as TotalSegmentator, or one-hot
 * trilinear where the card asks for {@code "label_resampling": "linear"}. Resampling 26 or 118
 * channels of logits would cost C floats per original voxel; the label map costs one byte.
 *
 * <p>Memory: the CT, one float32 image at model resolution, the logit ring of each part (classes x
 * patch_z x padded plane), the model-resolution labels and the output labels; nothing else grows
 * with the image.
 */
public final class Segmenter {
    private final ModelHandle handle;
    private final ModelDirectory model;
    private final ResolvedCard card;
    private final Device device;
    private final List<PartPredictor> predictors;
    /** The flips of the card's mirror axes, run per tile (Mirroring). */
    private final int[] mirrorMasks;

    Segmenter(ModelHandle handle, Device device) {
        this.handle = handle;
        this.model = handle.model();
        this.card = handle.card();
        this.device = device;
        List<PartPredictor> list = new ArrayList<>();
        for (ModelPart p : model.parts()) {
            list.add(new PartPredictor(p, device, handle.sessions(), handle.pool()));
        }
        this.predictors = List.copyOf(list);
        this.mirrorMasks = Mirroring.masks(card.mirrorAxes());
    }

    /** The card as written (id, patch size, training record); what the segmenter runs with is {@link #resolved}. */
    public ModelCard card() {
        return model.card();
    }

    /** The card with its defaults applied. */
    public ResolvedCard resolved() {
        return card;
    }

    /** The handle this segmenter belongs to (its sessions, pool and settings). */
    public ModelHandle handle() {
        return handle;
    }

    public ModelDirectory model() {
        return model;
    }

    public Device device() {
        return device;
    }

    /** The merged label map (label -> TotalSegmentator structure name). */
    public LabelMap labelMap() {
        return handle.labelMap();
    }

    /** Label -> structure name of the merged map. */
    public Map<Integer, String> labels() {
        return model.labels();
    }

    public SegmentationResult segment(CtVolume ct) {
        return segment(ct, 1);
    }

    /** Segments with {@code batchSize} tiles per ONNX Runtime call (1 = nnU-Net's default). */
    public SegmentationResult segment(CtVolume ct, int batchSize) {
        return segment(prepare(ct), batchSize);
    }

    /**
     * The CPU-only first half of {@link #segment}: reorient, crop, resample, normalize. Needs no
     * session, so a caller may prepare the next exam on another thread while this one infers.
     */
    public PreparedCt prepare(CtVolume ct) {
        handle.requireOpen();
        Map<String, Long> ms = new LinkedHashMap<>();
        long t = System.nanoTime();

        // Reorientation is a view: the canonical grid is read from (and labels written to) the CT's own
        // array through index arithmetic, so no reoriented copy of the CT or of the labels is made.
        Reorientation ro = Reorientation.toCanonical(ct.geometry());
        t = lap(ms, "reorient", t);

        // nnU-Net's order: crop to the non-zero box, normalize, resample (see Preprocessing for why we
        // clip before and z-score after resampling). Crop time is counted in "resample".
        VoxelView box = NonzeroCrop.of(ct, ro);
        int[] dims = Preprocessing.resampledShape(box.dims(), ro.canonical().spacing(), card.targetSpacingMm());
        ModelCard.Normalization norm = card.normalization();
        float[] image = Preprocessing.clipAndResample(ct.hu(), box, dims, card.resamplingOrder(),
                norm.clipLow(), norm.clipHigh());
        t = lap(ms, "resample", t);

        Preprocessing.normalize(image, norm);
        lap(ms, "normalize", t);
        return new PreparedCt(ct, box, dims, image, ms);
    }

    /**
     * The second half: every part's sliding window over the prepared image, then the labels back on
     * the CT's grid. Consumes the prepared image (it is let go before the full-size label map).
     */
    public SegmentationResult segment(PreparedCt prepared, int batchSize) {
        Lock open = handle.use(); // the handle stays open until the labels are computed
        try {
            return segmentOpen(prepared, batchSize);
        } finally {
            open.unlock();
        }
    }

    private SegmentationResult segmentOpen(PreparedCt prepared, int batchSize) {
        Map<String, Long> ms = new LinkedHashMap<>(prepared.stageMillis());
        long t = System.nanoTime();
        int[] dims = prepared.dims();
        double[] ts = card.targetSpacingMm();
        LabelVolume modelLabels = LabelVolume.allocate(
                Geometry.axisAligned(dims[0], dims[1], dims[2], ts[0], ts[1], ts[2]), Math.max(1, model.maxLabel()));
        float[] image = prepared.takeImage();
        for (PartPredictor p : predictors) {
            p.predict(image, dims[0], dims[1], dims[2], card.tileStep(), mirrorMasks, batchSize, modelLabels);
        }
        image = null; // let it go before the full-size label map is allocated
        t = lap(ms, "infer", t);

        CtVolume ct = prepared.ct();
        LabelVolume labels = LabelVolume.allocate(ct.geometry(), modelLabels.capacity());
        LabelRestore.restore(card.labelResampling(), modelLabels, prepared.box(), labels);
        lap(ms, "restore", t);
        return new SegmentationResult(labels, ms);
    }

    private static long lap(Map<String, Long> ms, String stage, long since) {
        long now = System.nanoTime();
        ms.put(stage, (now - since) / 1_000_000);
        return now;
    }
}
