package io.ctcohort.engine.phantom;

import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.Geometry;
import io.ctcohort.engine.image.LabelVolume;
import io.ctcohort.engine.image.VoxelView;
import io.ctcohort.engine.measure.ContrastPhase;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Synthetic abdominal CTs with known anatomy. Exam {@code i} of cohort {@code seed} is a pure
 * function of (seed, i): demographics and anatomy come from one random stream, image noise from
 * a stream split off after it, so {@link #truthOnly} yields exactly the label map of
 * {@link #generate} without rendering noise. What the opportunistic biomarkers added (contrast
 * phase, bolus, liver fat, aortic plaques) comes from a second stream of (seed, i), so adding it
 * left every earlier draw, and so every exam's anatomy, as it was.
 *
 * <p>Geometry (a deliberate compromise for speed): square in-plane matrices of 160-256 over a
 * 300-380 mm field of view, so 1.2-2.4 mm in-plane voxels rather than the 0.7-0.9 mm of 512
 * matrices; slices of 1.5, 2, 2.5, 3 or 5 mm; arrays stored RAS, LPS, LAS, LPI or permuted.
 * Noise: Gaussian, then a [1 2 1]/4 in-plane blur of the whole image (edge blur and correlated
 * noise, as reconstruction kernels produce).
 */
public final class PhantomGenerator {
    private static final int[] MATRICES = {160, 192, 224, 256};
    private static final double[] SLICES = {1.5, 2, 2.5, 3, 5};
    private static final double[] SLICE_WEIGHTS = {0.1, 0.15, 0.15, 0.25, 0.35};
    /** Probability that the field of view cuts through the liver (top) or the hips (bottom). */
    static final double CUT_PROBABILITY = 0.15;
    private static final double MAX_FOV_MM = 380;
    private static final float AIR_HU = -1000f;

    /** XORed into an exam's stream seed for the biomarker stream. */
    private static final long BIOMARKER_STREAM = 0x6A09E667F3BCC909L;

    private final long seed;
    private final ContrastPhase phase;

    public PhantomGenerator(long seed) {
        this(seed, null);
    }

    private PhantomGenerator(long seed, ContrastPhase phase) {
        this.seed = seed;
        this.phase = phase;
    }

    /**
     * The same cohort with every exam in {@code phase} (native, arterial or portal venous): the same
     * anatomy exam by exam, only the enhancement differs. For tests of phase estimation.
     */
    public PhantomGenerator inPhase(ContrastPhase phase) {
        ContrastEnhancement.of(phase); // refuses a phase the phantoms do not plant
        return new PhantomGenerator(seed, phase);
    }

    public long seed() {
        return seed;
    }

    public String examId(int index) {
        return String.format("ph%d-%05d", seed, index);
    }

    /** The complete exam: CT with noise, true labels, truth measured on both. */
    public PhantomExam generate(int index) {
        return build(index, true);
    }

    /** Demographics and truth only (labels rasterized, no noise, no image kept): for cohort-level checks. */
    public PhantomExam truthOnly(int index) {
        return build(index, false);
    }

    private PhantomExam build(int index, boolean render) {
        SplittableRandom rng = new SplittableRandom(mix(seed, index));
        SplittableRandom bio = new SplittableRandom(mix(seed, index) ^ BIOMARKER_STREAM);
        Demographics demo = new Demographics(18 + rng.nextInt(78), rng.nextBoolean() ? "M" : "F",
                LocalDate.of(2012, 1, 1).plusDays(rng.nextInt(13 * 365)));
        ContrastPhase drawn = ContrastEnhancement.draw(bio, demo.age());
        ContrastPhase examPhase = phase != null ? phase : drawn;
        Anatomy anatomy = new AnatomySampler(rng, bio).sample(demo, examPhase);

        // Acquisition: slice thickness, field of view, cuts, matrix, table position, orientation.
        double sz = SLICES[pick(rng, SLICE_WEIGHTS)];
        boolean cutTop = rng.nextDouble() < CUT_PROBABILITY;
        boolean cutBottom = rng.nextDouble() < CUT_PROBABILITY;
        double zTop = cutTop ? anatomy.top() - uniform(rng, 20, 60) : anatomy.top() + 3 * sz + uniform(rng, 3, 12);
        double zBottom = cutBottom ? anatomy.bottom() + uniform(rng, 20, 50)
                : anatomy.bottom() - 3 * sz - uniform(rng, 3, 12);
        int nz = (int) Math.round((zTop - zBottom) / sz) + 1;
        double fov = Math.min(MAX_FOV_MM, 2 * anatomy.body().outerA() + uniform(rng, 10, 40));
        int m = MATRICES[rng.nextInt(MATRICES.length)];
        double sxy = Math.round(fov / m * 64) / 64.0; // exactly representable in float32
        double x0 = -sxy * (m - 1) / 2 + uniform(rng, -8, 8);
        double y0 = -sxy * (m - 1) / 2 + uniform(rng, -10, 10);
        double tableZ = uniform(rng, -1400, -600);
        AcquisitionOrientation orientation = AcquisitionOrientation.COMMON[pick(rng, AcquisitionOrientation.WEIGHTS)];
        double noiseSd = uniform(rng, 8, 18);
        SplittableRandom noiseRng = rng.split();

        // Canonical (RAS) grid in patient coordinates; the affine adds the table offset.
        double[] affine = {sxy, 0, 0, x0, 0, sxy, 0, y0, 0, 0, sz, zBottom + tableZ, 0, 0, 0, 1};
        Geometry canonical = new Geometry(m, m, nz, affine, new double[] {sxy, sxy, sz});
        Canvas canvas = new Canvas(m, m, nz, x0, y0, zBottom, sxy, sz);
        canvas.paintBody(anatomy.body());
        for (Part part : anatomy.parts()) {
            canvas.paint(part);
        }

        Map<Integer, String> names = PhantomStructures.LABELS;
        int nLabels = 256;
        long[] count = new long[nLabels];
        double[] sumClean = new double[nLabels];
        int[][] box = new int[nLabels][];
        canvas.measure(count, sumClean, box);
        // Before rendering: the render adds its noise to the canvas in place.
        int l3Slice = (int) Math.round((anatomy.l3Centre() - zBottom) / sz);
        List<BiomarkerTruth> biomarkers = canvas.biomarkers(anatomy, l3Slice, count, sumClean);
        double[] sumNoisy = null;
        short[] hu = null;
        if (render) {
            sumNoisy = new double[nLabels];
            hu = canvas.render(noiseRng, noiseSd, sumNoisy);
        }
        double voxelMl = canonical.voxelVolumeMm3() / 1000.0;
        List<StructureTruth> truth = new ArrayList<>();
        for (var e : names.entrySet()) {
            int l = e.getKey();
            long c = count[l];
            boolean touches = c > 0 && (box[l][0] < 3 || box[l][1] > m - 4 || box[l][2] < 3 || box[l][3] > m - 4
                    || box[l][4] < 3 || box[l][5] > nz - 4);
            truth.add(new StructureTruth(l, e.getValue(), c, c * voxelMl,
                    c == 0 || sumNoisy == null ? Double.NaN : sumNoisy[l] / c,
                    c == 0 ? Double.NaN : sumClean[l] / c, touches));
        }

        CtVolume ct = null;
        LabelVolume labels = null;
        if (render) {
            Geometry g = orientation.apply(canonical);
            VoxelView stored = orientation.view(canonical);
            ct = new CtVolume(g, stored.copy(hu));
            labels = LabelVolume.ofUInt8(g, stored.copy(canvas.labels));
        }
        return new PhantomExam(examId(index), String.format("pt%d-%05d", seed, index), demo, ct, labels, truth,
                orientation.name(), cutTop, cutBottom, examPhase, biomarkers);
    }

    /** The voxels of the canonical grid, painted in patient coordinates. */
    private static final class Canvas {
        final int nx, ny, nz;
        final double x0, y0, z0, sxy, sz;
        final float[] hu;
        final byte[] labels;
        final byte[] tissue;

        Canvas(int nx, int ny, int nz, double x0, double y0, double z0, double sxy, double sz) {
            this.nx = nx;
            this.ny = ny;
            this.nz = nz;
            this.x0 = x0;
            this.y0 = y0;
            this.z0 = z0;
            this.sxy = sxy;
            this.sz = sz;
            int n = Math.multiplyExact(Math.multiplyExact(nx, ny), nz);
            hu = new float[n];
            labels = new byte[n];
            tissue = new byte[n];
        }

        void paintBody(Anatomy.BodyOutline body) {
            // The outline does not vary along z: compute one slice and copy it.
            int plane = nx * ny;
            for (int j = 0; j < ny; j++) {
                double y = y0 + j * sxy;
                for (int i = 0; i < nx; i++) {
                    double x = x0 + i * sxy;
                    float v = AIR_HU;
                    Tissue t = Tissue.NONE;
                    if (body.insideCavity(x, y)) {
                        v = body.cavityHu();
                        t = Tissue.VISCERAL_FAT;
                    } else if (body.insideInner(x, y)) {
                        v = body.muscleHu();
                        t = Tissue.MUSCLE;
                    } else if (body.insideOuter(x, y)) {
                        v = body.fatHu();
                        t = Tissue.SUBCUTANEOUS_FAT;
                    }
                    hu[i + nx * j] = v;
                    tissue[i + nx * j] = t.code();
                }
            }
            for (int k = 1; k < nz; k++) {
                System.arraycopy(hu, 0, hu, k * plane, plane);
                System.arraycopy(tissue, 0, tissue, k * plane, plane);
            }
        }

        void paint(Part part) {
            double[] b = part.shape().bounds();
            int i0 = Math.max(0, (int) Math.floor((b[0] - x0) / sxy));
            int i1 = Math.min(nx - 1, (int) Math.ceil((b[1] - x0) / sxy));
            int j0 = Math.max(0, (int) Math.floor((b[2] - y0) / sxy));
            int j1 = Math.min(ny - 1, (int) Math.ceil((b[3] - y0) / sxy));
            int k0 = Math.max(0, (int) Math.floor((b[4] - z0) / sz));
            int k1 = Math.min(nz - 1, (int) Math.ceil((b[5] - z0) / sz));
            byte label = (byte) part.label();
            float v = part.hu();
            byte t = part.tissue().code();
            boolean shelled = part.hasShell();
            float shellHu = part.shellHu();
            byte cortex = Tissue.CORTICAL_BONE.code();
            Shape s = part.shape();
            for (int k = k0; k <= k1; k++) {
                double z = z0 + k * sz;
                for (int j = j0; j <= j1; j++) {
                    double y = y0 + j * sxy;
                    int row = nx * (j + ny * k);
                    for (int i = i0; i <= i1; i++) {
                        double x = x0 + i * sxy;
                        if (s.contains(x, y, z)) {
                            boolean shell = shelled && onSurface(s, x, y, z);
                            hu[row + i] = shell ? shellHu : v;
                            tissue[row + i] = shell ? cortex : t;
                            labels[row + i] = label;
                        }
                    }
                }
            }
        }

        /** A voxel inside {@code s} with one of its 6 grid neighbours outside: the outermost layer. */
        private boolean onSurface(Shape s, double x, double y, double z) {
            return !s.contains(x - sxy, y, z) || !s.contains(x + sxy, y, z) || !s.contains(x, y - sxy, z)
                    || !s.contains(x, y + sxy, z) || !s.contains(x, y, z - sz) || !s.contains(x, y, z + sz);
        }

        /**
         * The planted biomarkers, counted on the tissue map and the noise-free image (as int16):
         * trabecular core HU per lumbar vertebra (its trabecular voxels), liver and spleen HU (their
         * labels, uniform organs), calcium volume (calcium voxels), and at the L3 mid slice the
         * muscle, subcutaneous and visceral fat areas and the muscle HU.
         */
        List<BiomarkerTruth> biomarkers(Anatomy anatomy, int l3Slice, long[] count, double[] sumClean) {
            long[] coreCount = new long[6];
            double[] coreSum = new double[6];
            long calcium = 0;
            byte trabecular = Tissue.TRABECULAR_BONE.code();
            byte calciumCode = Tissue.CALCIUM.code();
            for (int i = 0; i < hu.length; i++) {
                byte t = tissue[i];
                if (t == trabecular) {
                    int l = labels[i] & 0xFF;
                    if (l >= PhantomStructures.VERTEBRAE_L5 && l <= PhantomStructures.VERTEBRAE_L1) {
                        int level = PhantomStructures.VERTEBRAE_L1 - l + 1;
                        coreCount[level]++;
                        coreSum[level] += toInt16(hu[i]);
                    }
                } else if (t == calciumCode) {
                    calcium++;
                }
            }
            long muscle = 0;
            long sat = 0;
            long vat = 0;
            double muscleSum = 0;
            if (l3Slice >= 0 && l3Slice < nz) {
                int plane = nx * ny;
                for (int i = l3Slice * plane; i < (l3Slice + 1) * plane; i++) {
                    switch (Tissue.of(tissue[i])) {
                        case MUSCLE -> {
                            muscle++;
                            muscleSum += toInt16(hu[i]);
                        }
                        case SUBCUTANEOUS_FAT -> sat++;
                        case VISCERAL_FAT -> vat++;
                        default -> {
                        }
                    }
                }
            }
            double pixelCm2 = sxy * sxy / 100.0;
            List<BiomarkerTruth> out = new ArrayList<>();
            for (int level = 1; level <= 5; level++) {
                out.add(new BiomarkerTruth(BiomarkerTruth.TRABECULAR_HU, "vertebrae_L" + level,
                        coreCount[level] == 0 ? Double.NaN : coreSum[level] / coreCount[level], "HU"));
            }
            double liver = mean(count, sumClean, PhantomStructures.LIVER);
            double spleen = mean(count, sumClean, PhantomStructures.SPLEEN);
            out.add(new BiomarkerTruth(BiomarkerTruth.LIVER_HU, "liver", liver, "HU"));
            out.add(new BiomarkerTruth(BiomarkerTruth.SPLEEN_HU, "spleen", spleen, "HU"));
            out.add(new BiomarkerTruth(BiomarkerTruth.LIVER_SPLEEN_DIFFERENCE_HU, "liver", liver - spleen, "HU"));
            out.add(new BiomarkerTruth(BiomarkerTruth.LIVER_FAT_FRACTION, "liver", anatomy.liverFatPercent(), "%"));
            out.add(new BiomarkerTruth(BiomarkerTruth.AORTIC_CALCIUM_VOLUME_MM3, "aorta",
                    calcium * sxy * sxy * sz, "mm3"));
            out.add(new BiomarkerTruth(BiomarkerTruth.AORTIC_PLAQUES, "aorta", anatomy.plaques(), "count"));
            String l3 = "vertebrae_L3";
            out.add(new BiomarkerTruth(BiomarkerTruth.MUSCLE_AREA_CM2, l3, muscle * pixelCm2, "cm2"));
            out.add(new BiomarkerTruth(BiomarkerTruth.MUSCLE_HU, l3, muscle == 0 ? Double.NaN : muscleSum / muscle, "HU"));
            out.add(new BiomarkerTruth(BiomarkerTruth.SAT_AREA_CM2, l3, sat * pixelCm2, "cm2"));
            out.add(new BiomarkerTruth(BiomarkerTruth.VAT_AREA_CM2, l3, vat * pixelCm2, "cm2"));
            return out;
        }

        private static double mean(long[] count, double[] sum, int label) {
            return count[label] == 0 ? Double.NaN : sum[label] / count[label];
        }

        /** Per label: voxel count, sum of noise-free HU (as int16), index bounding box. */
        void measure(long[] count, double[] sumClean, int[][] box) {
            int i = 0;
            for (int k = 0; k < nz; k++) {
                for (int y = 0; y < ny; y++) {
                    for (int x = 0; x < nx; x++, i++) {
                        int l = labels[i] & 0xFF;
                        if (l == 0) {
                            continue;
                        }
                        count[l]++;
                        sumClean[l] += toInt16(hu[i]);
                        int[] bb = box[l];
                        if (bb == null) {
                            box[l] = new int[] {x, x, y, y, k, k};
                        } else {
                            bb[0] = Math.min(bb[0], x);
                            bb[1] = Math.max(bb[1], x);
                            bb[2] = Math.min(bb[2], y);
                            bb[3] = Math.max(bb[3], y);
                            bb[5] = k;
                        }
                    }
                }
            }
        }

        /**
         * Adds Gaussian noise, blurs in-plane with [1 2 1]/4 and casts to int16; adds each output
         * voxel to {@code sumNoisy} of its label in the same pass.
         */
        short[] render(SplittableRandom rng, double noiseSd, double[] sumNoisy) {
            // The blur keeps 0.375 of the noise SD per axis; scale so the result has noiseSd.
            double raw = noiseSd / 0.375;
            int n = hu.length;
            float[] a = hu;
            for (int i = 0; i < n; i++) {
                a[i] += (float) (raw * rng.nextGaussian());
            }
            float[] b = new float[n];
            for (int row = 0; row < ny * nz; row++) {
                int o = row * nx;
                b[o] = a[o];
                b[o + nx - 1] = a[o + nx - 1];
                for (int x = 1; x < nx - 1; x++) {
                    b[o + x] = 0.25f * (a[o + x - 1] + 2 * a[o + x] + a[o + x + 1]);
                }
            }
            short[] out = new short[n];
            int plane = nx * ny;
            for (int k = 0; k < nz; k++) {
                for (int y = 0; y < ny; y++) {
                    int o = k * plane + y * nx;
                    int up = y > 0 ? o - nx : o;
                    int down = y < ny - 1 ? o + nx : o;
                    for (int x = 0; x < nx; x++) {
                        short v = toInt16(0.25f * (b[up + x] + 2 * b[o + x] + b[down + x]));
                        out[o + x] = v;
                        sumNoisy[labels[o + x] & 0xFF] += v;
                    }
                }
            }
            return out;
        }

        private static short toInt16(float v) {
            return (short) Math.max(-1024, Math.min(3071, Math.round(v)));
        }
    }

    private static int pick(SplittableRandom rng, double[] weights) {
        double u = rng.nextDouble();
        for (int i = 0; i < weights.length - 1; i++) {
            u -= weights[i];
            if (u < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    private static double uniform(SplittableRandom rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }

    /** SplitMix64 finalizer of (seed, index): independent streams per exam. */
    static long mix(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
