package io.ctcohort.analytics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The optional QC table of minimum plausible volumes (conf/qc-min-volume.csv): a header
 * {@code structure,min_volume_ml}, then one structure per line; '#' starts a comment.
 */
public final class MinVolumeTable {
    private MinVolumeTable() {
    }

    public static Map<String, Double> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AnalyticsException(file + ": cannot read the minimum-volume table: " + e.getMessage(), e);
        }
        Map<String, Double> out = new LinkedHashMap<>();
        boolean header = true;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(",");
            if (header) {
                header = false;
                if (f.length != 2 || !f[0].strip().equals("structure") || !f[1].strip().equals("min_volume_ml")) {
                    throw new AnalyticsException(file + ": header must be 'structure,min_volume_ml', found '" + line + "'");
                }
                continue;
            }
            try {
                if (f.length != 2) {
                    throw new NumberFormatException("expected 2 fields");
                }
                double v = Double.parseDouble(f[1].strip());
                if (!(v >= 0)) {
                    throw new NumberFormatException("negative or NaN");
                }
                out.put(f[0].strip(), v);
            } catch (NumberFormatException e) {
                throw new AnalyticsException(file + ": line " + (i + 1) + ": '" + line + "': " + e.getMessage());
            }
        }
        return out;
    }
}
