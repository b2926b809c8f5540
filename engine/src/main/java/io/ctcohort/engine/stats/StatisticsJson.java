package io.ctcohort.engine.stats;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes TotalSegmentator's statistics.json: {@code {structure: {"volume": mm3, "intensity": HU}}}
 * for every structure of the label map, in label order, laid out as Python's
 * {@code json.dump(stats, f, indent=4)} does. As in TotalSegmentator: volume = voxel count x voxel
 * volume (not rounded), intensity = mean HU rounded to 5 decimals, an absent structure gets 0/0, and
 * (unless includeIncomplete) a structure touching the border gets 0/0.
 *
 * <p>With {@code extra}, each entry also carries our other fields (label, voxel_count, volume_ml,
 * hu_mean, hu_std, hu_median, hu_p05, hu_p95, touches_border), always as measured, even where the
 * border rule zeroed volume and intensity; an absent structure's HU fields are null.
 */
public final class StatisticsJson {
    private StatisticsJson() {
    }

    public static void write(List<StructureStatistics> stats, boolean includeIncomplete, boolean extra, Path file) {
        try (OutputStream out = Files.newOutputStream(file)) {
            write(stats, includeIncomplete, extra, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException("cannot write " + file, e.getCause());
        }
    }

    /** Writes to {@code out} (not closed). */
    public static void write(List<StructureStatistics> stats, boolean includeIncomplete, boolean extra,
                             OutputStream out) {
        DefaultPrettyPrinter pretty = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(new DefaultIndenter("    ", "\n"));
        try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            g.setPrettyPrinter(pretty);
            g.writeStartObject();
            for (StructureStatistics s : stats) {
                boolean zeroed = !s.present() || (s.touchesBorder() && !includeIncomplete);
                g.writeObjectFieldStart(s.structure());
                number(g, "volume", zeroed ? 0.0 : s.volumeMm3());
                number(g, "intensity", zeroed ? 0.0 : round5(s.huMean()));
                if (extra) {
                    g.writeNumberField("label", s.label());
                    g.writeNumberField("voxel_count", s.voxelCount());
                    number(g, "volume_ml", s.volumeMl());
                    number(g, "hu_mean", s.huMean());
                    number(g, "hu_std", s.huStd());
                    number(g, "hu_median", s.huMedian());
                    number(g, "hu_p05", s.huP05());
                    number(g, "hu_p95", s.huP95());
                    g.writeBooleanField("touches_border", s.touchesBorder());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** numpy's round(x, 5): rint(x * 1e5) / 1e5. */
    static double round5(double x) {
        return Math.rint(x * 1e5) / 1e5;
    }

    /** A double written like Python's float repr in plain notation (260010.0, 2.4381); NaN -> null. */
    private static void number(JsonGenerator g, String field, double v) throws IOException {
        g.writeFieldName(field);
        if (!Double.isFinite(v)) {
            g.writeNull();
            return;
        }
        String plain = new BigDecimal(Double.toString(v)).toPlainString();
        if (plain.indexOf('.') < 0) {
            plain += ".0";
        }
        g.writeNumber(plain);
    }
}
