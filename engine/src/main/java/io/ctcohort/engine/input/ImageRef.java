package io.ctcohort.engine.input;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where one image lies, parsed once where it enters (a manifest row, a command-line option) and
 * passed typed inward: a local file ({@code /a/ct.nii.gz}, {@code file:///a/ct.nii.gz}), an S3
 * object ({@code s3a://bucket/key}) or an HDFS file ({@code hdfs://host/path}); either a NIfTI file
 * or a DICOM series folder, {@code DIR} or {@code DIR#SeriesInstanceUID} where the folder holds
 * several series. Whether a location is a folder is the store's to say ({@link CtReader}), so a
 * reference without a series UID may name either.
 *
 * @param scheme    the store it lies on
 * @param location  the file or folder, exactly as given (scheme included), without the {@code #UID}
 * @param seriesUid the series the {@code #} fragment names, or null
 */
public record ImageRef(Scheme scheme, String location, String seriesUid) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The stores an image may lie on; {@code s3://} and others are refused, so that a typo fails at the manifest. */
    public enum Scheme {
        FILE, S3, HDFS
    }

    /** A DICOM UID (PS3.5 9.1): digit groups separated by dots. */
    private static final Pattern UID = Pattern.compile("[0-9]+(\\.[0-9]+)+");
    /** RFC 3986 scheme; a single letter is not taken for one. */
    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]+):");

    public ImageRef {
        if (scheme == null || location == null || location.isEmpty()) {
            throw new IllegalArgumentException("an image reference needs a scheme and a location");
        }
        if (seriesUid != null && !UID.matcher(seriesUid).matches()) {
            throw new IllegalArgumentException("'" + seriesUid + "' is not a SeriesInstanceUID (digits and dots)");
        }
    }

    /**
     * Parses {@code text}; an empty text, an unknown scheme, an S3 or HDFS URI without bucket or host, and a
     * {@code #} not followed by a SeriesInstanceUID are refused with an {@link IllegalArgumentException} saying
     * which (the caller adds the row or option).
     */
    public static ImageRef parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty image location");
        }
        String location = text;
        String uid = null;
        int hash = text.lastIndexOf('#');
        if (hash >= 0) {
            location = text.substring(0, hash);
            uid = text.substring(hash + 1);
            if (location.isEmpty() || !UID.matcher(uid).matches()) {
                throw new IllegalArgumentException("'" + text + "': after '#' comes a SeriesInstanceUID (digits and "
                        + "dots), as in DIR#1.2.840.113619.2.55.3; found '" + uid + "'");
            }
        }
        return new ImageRef(schemeOf(text, location), location, uid);
    }

    /** A local file or DICOM folder. */
    public static ImageRef of(Path local) {
        return new ImageRef(Scheme.FILE, local.toString(), null);
    }

    private static Scheme schemeOf(String text, String location) {
        Matcher m = SCHEME.matcher(location);
        if (!m.find()) {
            return Scheme.FILE;
        }
        String scheme = m.group(1).toLowerCase(Locale.ROOT);
        Scheme s = switch (scheme) {
            case "file" -> Scheme.FILE;
            case "s3a" -> Scheme.S3;
            case "hdfs" -> Scheme.HDFS;
            default -> throw new IllegalArgumentException("'" + text + "': unknown scheme " + scheme + "://; give a "
                    + "path, file://, s3a:// or hdfs://" + (scheme.startsWith("s3") ? " (S3 is read through s3a://)" : ""));
        };
        String rest = location.substring(m.end());
        if (s != Scheme.FILE && (!rest.startsWith("//") || rest.length() == 2 || rest.charAt(2) == '/')) {
            throw new IllegalArgumentException("'" + text + "': " + scheme + ":// needs a "
                    + (s == Scheme.S3 ? "bucket, as in s3a://BUCKET/KEY" : "host, as in hdfs://HOST/PATH"));
        }
        return s;
    }

    /** The same location with another series (null: none). */
    public ImageRef withSeries(String uid) {
        return new ImageRef(scheme, location, uid);
    }

    /** The local path of a {@link Scheme#FILE} location ({@code file:} URIs decoded). */
    public Path localPath() {
        if (scheme != Scheme.FILE) {
            throw new IllegalStateException(this + " is not a local file");
        }
        return localPath(location);
    }

    /** A local path, or a {@code file:} URI, as a path. */
    static Path localPath(String location) {
        if (location.regionMatches(true, 0, "file:", 0, 5)) {
            try {
                return Path.of(java.net.URI.create(location));
            } catch (IllegalArgumentException e) {
                String p = location.substring(5);
                return Path.of(p.startsWith("//") ? p.substring(2) : p);
            }
        }
        return Path.of(location);
    }

    /** Null for null: for the optional references (mask, reference label map) as text. */
    public static String text(ImageRef ref) {
        return ref == null ? null : ref.toString();
    }

    /** The reference as it was given: {@code location} or {@code location#SeriesInstanceUID}. */
    @Override
    public String toString() {
        return seriesUid == null ? location : location + "#" + seriesUid;
    }
}
