package io.ctcohort.analytics;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks that an HTML report renders offline: every img is a real PNG beside it. */
final class ReportFiles {
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final Pattern IMG = Pattern.compile("<img\\s+[^>]*src=\"([^\"]+)\"");

    private ReportFiles() {
    }

    /** @return the img sources found (each asserted to be a PNG of at least minBytes) */
    static List<String> assertImagesArePngs(Path index, long minBytes) throws IOException {
        String html = Files.readString(index, StandardCharsets.UTF_8);
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.trim().endsWith("</html>"), "complete HTML document");
        assertTrue(!html.contains("http://") && !html.contains("https://") && !html.contains("<script"),
                "opens offline: no remote resources, no scripts");
        List<String> sources = new ArrayList<>();
        Matcher m = IMG.matcher(html);
        while (m.find()) {
            String src = m.group(1);
            sources.add(src);
            Path png = index.getParent().resolve(src);
            assertTrue(Files.isRegularFile(png), "image missing: " + png);
            byte[] head = new byte[8];
            try (InputStream in = Files.newInputStream(png)) {
                assertTrue(in.readNBytes(head, 0, 8) == 8, "image too short: " + png);
            }
            assertArrayEquals(PNG_MAGIC, head, "not a PNG: " + png + " starts " + Arrays.toString(head));
            assertTrue(Files.size(png) >= minBytes, png + " is only " + Files.size(png) + " bytes");
        }
        return sources;
    }
}
