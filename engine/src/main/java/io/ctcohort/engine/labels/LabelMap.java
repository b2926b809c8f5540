package io.ctcohort.engine.labels;

import io.ctcohort.core.CtCohortException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Label index -> structure name (TotalSegmentator's vocabulary), in ascending label order; 0 is
 * background and never listed. TotalSegmentator's tables for task "total" (v2, 117 classes) and
 * v1 (104) are bundled; others are read from a two-column TSV ({@code label<TAB>structure}, an
 * optional header line).
 */
public final class LabelMap {
    private static final String RESOURCES = "/io/ctcohort/engine/labels/";

    private final Map<Integer, String> names;

    private LabelMap(Map<Integer, String> sorted) {
        this.names = Collections.unmodifiableMap(sorted);
    }

    /** A map from any labels to names; labels must be 1..65535 and names unique. */
    public static LabelMap of(Map<Integer, String> map) {
        return checked(map, "label map");
    }

    /** TotalSegmentator's task "total" (v2): 117 structures. */
    public static LabelMap total() {
        return bundled("labels_total.tsv");
    }

    /** TotalSegmentator v1's task "total": 104 structures. */
    public static LabelMap totalV1() {
        return bundled("labels_total_v1.tsv");
    }

    /** "total", "total_v1", or the path of a TSV file. */
    public static LabelMap resolve(String nameOrPath) {
        return switch (nameOrPath) {
            case "total" -> total();
            case "total_v1" -> totalV1();
            default -> fromTsv(Paths.get(nameOrPath));
        };
    }

    public static LabelMap fromTsv(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return fromTsv(in, file.toString());
        } catch (IOException e) {
            throw new CtCohortException(file + ": cannot read label table (" + e + ")", e);
        }
    }

    public static LabelMap fromTsv(InputStream in, String name) {
        Map<Integer, String> map = new LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                if (lineNo == 1 && f.length == 2 && !f[0].strip().matches("\\d+")) {
                    continue; // header line, e.g. "label	structure"
                }
                if (f.length != 2 || !f[0].strip().matches("\\d+") || f[1].isBlank()) {
                    throw new CtCohortException(name + ": line " + lineNo + " is not 'label<TAB>structure': " + line);
                }
                int label = parseLabel(f[0].strip(), name, lineNo);
                if (map.put(label, f[1].strip()) != null) {
                    throw new CtCohortException(name + ": label " + label + " appears twice (line " + lineNo + ")");
                }
            }
        } catch (IOException e) {
            throw new CtCohortException(name + ": cannot read label table (" + e + ")", e);
        }
        if (map.isEmpty()) {
            throw new CtCohortException(name + ": label table is empty");
        }
        return checked(map, name);
    }

    /** Digits only (checked by the caller), but possibly beyond int: such a label is out of range too. */
    private static int parseLabel(String digits, String name, int lineNo) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new CtCohortException(name + ": line " + lineNo + ": label " + digits
                    + " outside 1..65535 (0 is background)");
        }
    }

    private static LabelMap bundled(String file) {
        InputStream in = LabelMap.class.getResourceAsStream(RESOURCES + file);
        if (in == null) {
            throw new IllegalStateException("bundled label table missing: " + RESOURCES + file);
        }
        return fromTsv(in, file);
    }

    private static LabelMap checked(Map<Integer, String> map, String name) {
        TreeMap<Integer, String> sorted = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        for (Map.Entry<Integer, String> e : map.entrySet()) {
            int label = e.getKey();
            if (label < 1 || label > 65535) {
                throw new CtCohortException(name + ": label " + label + " outside 1..65535 (0 is background)");
            }
            if (!seen.add(e.getValue())) {
                throw new CtCohortException(name + ": structure '" + e.getValue() + "' appears twice");
            }
            sorted.put(label, e.getValue());
        }
        return new LabelMap(new LinkedHashMap<>(sorted));
    }

    /** label -> structure, ascending by label (unmodifiable). */
    public Map<Integer, String> asMap() {
        return names;
    }

    /** Structure name of a label, or null when the map has none. */
    public String name(int label) {
        return names.get(label);
    }

    /** Largest label listed. */
    public int maxLabel() {
        return names.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    public int size() {
        return names.size();
    }

    @Override
    public String toString() {
        return "LabelMap(" + names.size() + " structures, max label " + maxLabel() + ")";
    }
}
