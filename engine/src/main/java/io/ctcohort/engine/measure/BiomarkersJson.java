package io.ctcohort.engine.measure;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes one exam's contrast phase and biomarker rows as JSON, the {@code stats} and
 * {@code segment-one} counterpart of the {@code biomarkers} table and the exams' phase columns:
 * {@code {"contrast_phase": ..., "contrast_phase_source": ..., "contrast_phase_reason": ...,
 * "biomarkers": [{"biomarker", "site", "value", "unit", "reason"}, ...]}}, rows in measuring order,
 * null where the table holds null.
 */
public final class BiomarkersJson {
    private BiomarkersJson() {
    }

    public static void write(ExamMeasurement m, Path file) {
        try (OutputStream out = Files.newOutputStream(file);
             JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("contrast_phase", m.phase().phase().value());
            g.writeStringField("contrast_phase_source", m.phase().source().value());
            g.writeStringField("contrast_phase_reason", m.phase().reason());
            g.writeArrayFieldStart("biomarkers");
            for (BiomarkerValue b : m.biomarkers()) {
                g.writeStartObject();
                g.writeStringField("biomarker", b.biomarker());
                g.writeStringField("site", b.site());
                if (b.value() == null) {
                    g.writeNullField("value");
                } else {
                    g.writeNumberField("value", b.value());
                }
                g.writeStringField("unit", b.unit());
                g.writeStringField("reason", b.reason());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
