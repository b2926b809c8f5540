package io.ctcohort.pipeline.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Error messages keep the path inside the image only, in whichever spelling they name the image. */
class MessagePathsTest {
    @Test
    void everySpellingOfTheImageLocationBecomesAToken() {
        String uri = "file:/archive/Doe_John_MRN123/s2#1.2.840.777.2";
        assertEquals("<image>/IM0007: truncated", MessagePaths.relative(
                "/archive/Doe_John_MRN123/s2/IM0007: truncated", uri, null));
        assertEquals("<image>/IM0007: truncated", MessagePaths.relative(
                "file:/archive/Doe_John_MRN123/s2/IM0007: truncated", uri, null));
        assertEquals("<image>/: no slice of series <series>", MessagePaths.relative(
                "file:///archive/Doe_John_MRN123/s2/: no slice of series 1.2.840.777.2", uri, null));
        assertEquals("mask <mask> is not on the grid of <image>", MessagePaths.relative(
                "mask /data/Doe/mask.nii.gz is not on the grid of /data/Doe/ct.nii.gz",
                "/data/Doe/ct.nii.gz", "file:/data/Doe/mask.nii.gz"));
        assertEquals("unrelated", MessagePaths.relative("unrelated", uri, null));
        assertNull(MessagePaths.relative(null, uri, null));
    }
}
