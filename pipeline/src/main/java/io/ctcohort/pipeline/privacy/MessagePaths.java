package io.ctcohort.pipeline.privacy;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An exam's error message as a shared table may hold it: the exam's image location (and the series
 * UID of a DICOM {@code FOLDER#UID} location) replaced by {@code <image>} and {@code <series>}, the
 * mask's by {@code <mask>}, a reference label map's by {@code <reference>}, so that what is left is the path inside the image ("&lt;image&gt;/IM0007:
 * truncated"). Folder names often name the patient; the exam's row keeps its exam_id, which is how
 * the custodian finds the image again in the manifest.
 */
public final class MessagePaths {
    public static final String IMAGE = "<image>";
    public static final String MASK = "<mask>";
    public static final String SERIES = "<series>";
    public static final String REFERENCE = "<reference>";

    private MessagePaths() {
    }

    public static String relative(String message, String imageUri, String maskUri) {
        return relative(message, imageUri, maskUri, null);
    }

    /** As {@link #relative(String, String, String)}, the reference label map's location too (a validation's message). */
    public static String relative(String message, String imageUri, String maskUri, String referenceUri) {
        if (message == null) {
            return null;
        }
        List<String[]> replacements = new ArrayList<>();
        add(replacements, imageUri, IMAGE);
        add(replacements, maskUri, MASK);
        add(replacements, referenceUri, REFERENCE);
        replacements.sort(Comparator.comparingInt((String[] r) -> r[0].length()).reversed());
        String m = message;
        for (String[] r : replacements) {
            m = m.replace(r[0], r[1]);
        }
        return m;
    }

    /** Every spelling of a location that a message may use: as given, as file: URI, as a bare path. */
    private static void add(List<String[]> out, String uri, String token) {
        if (uri == null || uri.isBlank()) {
            return;
        }
        String location = uri;
        int hash = uri.lastIndexOf('#');
        if (hash > 0) {
            String uid = uri.substring(hash + 1);
            if (!uid.isEmpty()) {
                out.add(new String[] {uid, SERIES});
            }
            location = uri.substring(0, hash);
        }
        location = strip(location);
        out.add(new String[] {location, token});
        String path = location;
        try {
            URI u = URI.create(location.replace(" ", "%20"));
            if (u.getScheme() != null && u.getPath() != null && !u.getPath().isEmpty()) {
                path = strip(u.getPath());
            }
        } catch (IllegalArgumentException e) {
            // not a URI: a plain path already
        }
        if (path.length() > 1) {
            out.add(new String[] {"file://" + path, token});
            out.add(new String[] {"file:" + path, token});
            out.add(new String[] {path, token});
        }
    }

    private static String strip(String s) {
        return s.length() > 1 && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
