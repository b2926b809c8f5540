package io.ctcohort.engine.dicom;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Deterministic UIDs: {@code 2.25.<the UUID as one unsigned decimal>} (ITU-T X.667), the UUID
 * derived from a name (RFC 4122 version 3). The same name always gives the same UID, so a written
 * series is byte-identical per seed, and no organisation root needs registering.
 */
public final class DicomUids {
    /** Identifies ctcohort as the writer in every file's meta information (0002,0012). */
    public static final String IMPLEMENTATION_CLASS_UID = fromName("implementation");

    private DicomUids() {
    }

    /** The UID for {@code name} (at most 44 characters, within UI's 64). */
    public static String fromName(String name) {
        UUID u = UUID.nameUUIDFromBytes(("ctcohort:" + name).getBytes(StandardCharsets.UTF_8));
        byte[] b = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits())
                .array();
        return "2.25." + new BigInteger(1, b);
    }
}
