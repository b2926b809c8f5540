package io.ctcohort.pipeline.catalog;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the selection rules ask of a series, derived from header values. */
public final class SeriesTraits {
    /** Siemens-style kernel names: B30f, Br40d, I70f, Qr59 (the number is the sharpness). */
    private static final Pattern SIEMENS = Pattern.compile("^[A-Z]{1,2}[a-z]?(\\d{2})[a-z]?.*");
    private static final Pattern SHARP_WORDS = Pattern.compile(".*(LUNG|BONE|EDGE|SHARP|DETAIL|HIGH ?RES|HR).*");
    private static final Pattern SOFT_WORDS = Pattern.compile(".*(SOFT|STANDARD|STND|ABDOMEN|BODY|SMOOTH).*");
    /** A Siemens kernel number from here on is a lung or bone kernel. */
    static final int SHARP_FROM = 50;

    private SeriesTraits() {
    }

    /**
     * {@code soft}, {@code sharp} (lung or bone) or {@code unknown}, from the convolution kernel
     * (Siemens numbers: below 50 soft; GE and others by name: STANDARD/SOFT vs LUNG/BONE/EDGE) and,
     * failing that, the series description.
     */
    public static String kernelClass(String kernel, String description) {
        String k = kernel == null ? "" : kernel.trim();
        Matcher m = SIEMENS.matcher(k);
        if (m.matches()) {
            return Integer.parseInt(m.group(1)) >= SHARP_FROM ? "sharp" : "soft";
        }
        for (String s : new String[] {k, description == null ? "" : description}) {
            String u = s.toUpperCase(Locale.ROOT);
            if (SHARP_WORDS.matcher(u).matches()) {
                return "sharp";
            }
            if (SOFT_WORDS.matcher(u).matches()) {
                return "soft";
            }
        }
        return "unknown";
    }

    /** {@code axial}, {@code coronal}, {@code sagittal} or {@code oblique}: the axis the slice normal is closest to. */
    public static String orientation(double[] iop) {
        if (iop == null || iop.length != 6) {
            return null;
        }
        double nx = iop[1] * iop[5] - iop[2] * iop[4];
        double ny = iop[2] * iop[3] - iop[0] * iop[5];
        double nz = iop[0] * iop[4] - iop[1] * iop[3];
        double ax = Math.abs(nx);
        double ay = Math.abs(ny);
        double az = Math.abs(nz);
        double max = Math.max(ax, Math.max(ay, az));
        if (max < 0.8) {
            return "oblique"; // more than about 37 degrees from every axis
        }
        return max == az ? "axial" : max == ay ? "coronal" : "sagittal";
    }
}
