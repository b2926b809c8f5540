package io.ctcohort.engine.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ctcohort.core.CtCohortException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model directory ({@code model.json} + its ONNX files), validated and with every ONNX file's
 * sha256 checked against the card. Loading never creates an ONNX session: whatever holds a
 * {@code ModelDirectory} holds files that are exactly what the card describes.
 */
public final class ModelDirectory {
    public static final String CARD_FILE = "model.json";
    /** Smallest accepted tile_step: tiles then overlap by 90 %, ~1000x the tiles of step 1. */
    static final double MIN_TILE_STEP = 0.1;
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);

    private final Path dir;
    private final ModelCard card;
    private final ResolvedCard resolved;
    private final List<ModelPart> parts;
    private final Map<Integer, String> labels;

    private ModelDirectory(Path dir, ModelCard card, ResolvedCard resolved, List<ModelPart> parts,
                           Map<Integer, String> labels) {
        this.dir = dir;
        this.card = card;
        this.resolved = resolved;
        this.parts = parts;
        this.labels = labels;
    }

    /** Reads and validates {@code dir/model.json}, then verifies the sha256 of each ONNX file it names. */
    public static ModelDirectory load(Path dir) {
        Path cardFile = dir.resolve(CARD_FILE);
        ModelCard card = readCard(cardFile);
        ResolvedCard resolved = validate(card, cardFile);
        Map<Integer, String> labels = new TreeMap<>();
        List<ModelPart> parts = new ArrayList<>();
        if (!card.isMultiPart()) {
            Map<Integer, String> own = parseLabels(card.labels(), cardFile, "labels");
            labels.putAll(own);
            int[] channelToLabel = new int[maxKey(own) + 1];
            for (int c = 0; c < channelToLabel.length; c++) {
                channelToLabel[c] = c;
            }
            parts.add(part(dir, cardFile, card.id(), card.onnxFileOrDefault(), card.sha256(), card.inputName(),
                    card.outputName(), card.patchSize(), channelToLabel));
        } else {
            // The merged map: the card's labels when given, else the parts' names numbered in order.
            Map<String, Integer> byName = new LinkedHashMap<>();
            if (card.labels() != null) {
                parseLabels(card.labels(), cardFile, "labels").forEach((k, v) -> byName.put(v, k));
            }
            boolean numberInOrder = card.labels() == null;
            for (ModelCard.Part p : card.parts()) {
                String where = "part " + p.id();
                Map<Integer, String> own = parseLabels(p.labels(), cardFile, where + " labels");
                int[] channelToLabel = new int[maxKey(own) + 1];
                for (Map.Entry<Integer, String> e : own.entrySet()) {
                    Integer global = byName.get(e.getValue());
                    if (global == null && numberInOrder) {
                        global = byName.size() + 1;
                        byName.put(e.getValue(), global);
                    }
                    if (global == null) {
                        throw new CtCohortException(cardFile + ": " + where + " label " + e.getKey() + " ('"
                                + e.getValue() + "') is not in the card's labels");
                    }
                    channelToLabel[e.getKey()] = global;
                }
                parts.add(part(dir, cardFile, p.id(), p.onnxFileOrDefault(),
                        p.sha256(), p.inputName() != null ? p.inputName() : card.inputName(),
                        p.outputName() != null ? p.outputName() : card.outputName(),
                        p.patchSize() != null ? p.patchSize() : card.patchSize(), channelToLabel));
            }
            byName.forEach((name, k) -> labels.put(k, name));
        }
        return new ModelDirectory(dir, card, resolved, List.copyOf(parts), Collections.unmodifiableMap(labels));
    }

    private static ModelCard readCard(Path cardFile) {
        try {
            return JSON.readValue(cardFile.toFile(), ModelCard.class);
        } catch (JsonProcessingException e) {
            throw new CtCohortException(cardFile + ": not a valid model card: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            if (!Files.exists(cardFile)) {
                throw new CtCohortException(cardFile + ": model card not found (a model directory holds "
                        + CARD_FILE + " and its .onnx files)", e);
            }
            throw new CtCohortException(cardFile + ": cannot read model card: " + e.getMessage(), e);
        }
    }

    /** Checks the card and returns it resolved: defaults are applied here, once, and then validated. */
    private static ResolvedCard validate(ModelCard card, Path f) {
        require(card.id() != null && !card.id().isBlank(), f, "id is missing");
        require(card.targetSpacingMm() != null && card.targetSpacingMm().length == 3, f,
                "target_spacing_mm needs 3 values (x, y, z)");
        for (double s : card.targetSpacingMm()) {
            require(s > 0 && Double.isFinite(s), f, "target_spacing_mm must be positive, got " + s);
        }
        checkPatch(card.patchSize(), f, "patch_size");
        require(card.normalization() != null, f, "normalization is missing");
        ResolvedCard r = ResolvedCard.of(card);
        double step = r.tileStep();
        // Tiles per axis grow as 1 / tile_step: below MIN_TILE_STEP a typo (0.005 for 0.5) would mean
        // millions of tiles per exam instead of a clear error.
        require(step >= MIN_TILE_STEP && step <= 1, f, "tile_step must lie in [" + MIN_TILE_STEP + ", 1], got " + step);
        int order = r.resamplingOrder();
        require(order == 0 || order == 1, f, "resampling_order " + order
                + " is not supported (0 = nearest, 1 = linear)");
        require(r.labelResampling() != null, f, "label_resampling '" + card.labelResampling()
                + "' is not supported (nearest, linear)");
        if (card.mirrorAxes() != null) {
            boolean[] seen = new boolean[3];
            for (int a : card.mirrorAxes()) {
                require(a >= 0 && a <= 2 && !seen[a], f, "mirror_axes " + java.util.Arrays.toString(card.mirrorAxes())
                        + " must name distinct axes 0 (x), 1 (y), 2 (z)");
                seen[a] = true;
            }
        }
        ModelCard.Normalization n = card.normalization();
        require("ct".equalsIgnoreCase(n.type()), f, "normalization type '" + n.type() + "' is not supported (ct)");
        require(n.clipLow() <= n.clipHigh(), f, "normalization clip_low > clip_high");
        require(n.std() > 0 && Double.isFinite(n.std()) && Double.isFinite(n.mean()), f,
                "normalization needs a finite mean and a positive std");
        if (card.isMultiPart()) {
            for (ModelCard.Part p : card.parts()) {
                require(p.id() != null, f, "every part needs an id");
                if (p.patchSize() != null) {
                    checkPatch(p.patchSize(), f, "part " + p.id() + " patch_size");
                }
            }
        }
        require(card.isMultiPart() || card.labels() != null, f, "labels are missing");
        return r;
    }

    private static void checkPatch(int[] patch, Path f, String what) {
        require(patch != null && patch.length == 3, f, what + " needs 3 values (x, y, z)");
        for (int p : patch) {
            require(p > 0, f, what + " must be positive, got " + p);
        }
    }

    private static Map<Integer, String> parseLabels(Map<String, String> raw, Path f, String what) {
        require(raw != null && !raw.isEmpty(), f, what + " are missing");
        Map<Integer, String> out = new TreeMap<>();
        for (Map.Entry<String, String> e : raw.entrySet()) {
            int k;
            try {
                k = Integer.parseInt(e.getKey().trim());
            } catch (NumberFormatException ex) {
                throw new CtCohortException(f + ": " + what + " key '" + e.getKey() + "' is not an integer");
            }
            require(k >= 1 && k <= 65535, f, what + " key " + k + " must lie in 1..65535 (0 is background)");
            require(e.getValue() != null && !e.getValue().isBlank(), f, what + " " + k + " has no name");
            String earlier = out.put(k, e.getValue());
            // "1" and "01" are one label: silently keeping the last would drop a structure.
            require(earlier == null, f, what + " key " + k + " is given twice ('" + earlier + "' and '"
                    + e.getValue() + "')");
        }
        return out;
    }

    private static int maxKey(Map<Integer, String> m) {
        return m.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    private static ModelPart part(Path dir, Path cardFile, String id, String onnxName, String expected,
                                  String inputName, String outputName, int[] patch, int[] channelToLabel) {
        require(inputName != null && outputName != null, cardFile, "input_name and output_name are required");
        Path onnx = dir.resolve(onnxName).normalize();
        if (expected == null || expected.isBlank()) {
            throw new ModelIntegrityException(cardFile + ": no sha256 given for " + onnx
                    + "; a model is only loaded after its hash is checked");
        }
        String actual = sha256(onnx);
        if (!actual.equalsIgnoreCase(expected.trim())) {
            throw new ModelIntegrityException(onnx + ": sha256 mismatch: model card " + cardFile + " expects "
                    + expected.trim().toLowerCase() + ", file has " + actual);
        }
        return new ModelPart(id, onnx, actual, inputName, outputName, patch.clone(), channelToLabel);
    }

    /** Hex sha256 of a file, streamed. */
    public static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            byte[] buf = new byte[1 << 16];
            while (in.read(buf) >= 0) {
                // the digest stream hashes as it reads
            }
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchFileException e) {
            throw new CtCohortException(file + ": model file not found", e);
        } catch (IOException e) {
            throw new CtCohortException(file + ": cannot read model file: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void require(boolean ok, Path f, String problem) {
        if (!ok) {
            throw new CtCohortException(f + ": " + problem);
        }
    }

    public Path dir() {
        return dir;
    }

    /** The card as written (optional fields null where it leaves them out). */
    public ModelCard card() {
        return card;
    }

    /** The card with its defaults applied: what the segmenter runs with. */
    public ResolvedCard resolved() {
        return resolved;
    }

    /** The networks to run, in order; a later part overwrites an earlier one where it finds a structure. */
    public List<ModelPart> parts() {
        return parts;
    }

    /** The merged label map: label -> TotalSegmentator structure name. */
    public Map<Integer, String> labels() {
        return labels;
    }

    public int maxLabel() {
        return labels.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
    }
}
