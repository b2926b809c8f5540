package io.ctcohort.engine.nifti;

import io.ctcohort.engine.InvalidImageException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * The bytes between a single-file header and its voxels: the 4-byte extension flag and, when its
 * first byte is set, extensions (esize, ecode, content) up to vox_offset. Their content is skipped,
 * never held; their sizes are checked as nibabel does (an extension smaller than its own 8-byte
 * head or running past vox_offset is refused), so a bad size cannot send the reader astray.
 */
final class NiftiExtensions {
    /** Most bytes of extensions read past: more is no CT file, and would only cost inflate time. */
    static final long MAX_BYTES = 64L << 20;
    private static final int CHUNK = 1 << 16;

    private NiftiExtensions() {
    }

    /**
     * Where the voxels start. vox_offset 0 is taken as "right after the flag", the value nibabel's
     * header fix-up and nifti1_io give it (nibabel 5.4 itself would read the header as voxels);
     * any other offset inside the header, and NaN, is refused as nibabel refuses it.
     */
    static long dataOffset(NiftiHeader h, int size, String name) {
        long first = size + 4L;
        if (h.voxOffset == 0) {
            return first;
        }
        if (h.voxOffset == NiftiHeader.NOT_FINITE) {
            throw NiftiProblem.MALFORMED_HEADER.at(name, "vox_offset is not a finite number");
        }
        if (h.voxOffset < first) {
            throw NiftiProblem.MALFORMED_HEADER.at(name, "vox_offset " + h.voxOffset + " lies inside the header;"
                    + " a single .nii file's voxels start at byte " + first + " or later");
        }
        if (h.voxOffset - first > MAX_BYTES) {
            throw NiftiProblem.MALFORMED_HEADER.at(name, "vox_offset " + h.voxOffset + " leaves "
                    + (h.voxOffset - first) + " bytes of extensions before the voxels, more than the " + MAX_BYTES
                    + " allowed");
        }
        return h.voxOffset;
    }

    /** Reads the flag and the extensions from a stream positioned right after the header, up to {@code offset}. */
    static void skip(InputStream s, NiftiHeader h, int size, long offset, String name) throws IOException {
        long pos = size;
        byte[] flag = s.readNBytes(4);
        pos += flag.length;
        if (flag.length < 4) {
            throw endsBefore(name, offset);
        }
        while (flag[0] != 0 && pos + 16 <= offset) { // nibabel's loop: a further extension needs 16 bytes
            byte[] head = s.readNBytes(8);
            if (head.length < 8) {
                throw endsBefore(name, offset);
            }
            int esize = ByteBuffer.wrap(head).order(h.order).getInt(0);
            if (esize < 8 || pos + esize > offset) {
                throw NiftiProblem.MALFORMED_HEADER.at(name, "header extension at byte " + pos + " declares " + esize
                        + " bytes; an extension holds at least its 8-byte head and ends by vox_offset " + offset);
            }
            skipBytes(s, esize - 8, name, offset);
            pos += esize;
        }
        skipBytes(s, offset - pos, name, offset);
    }

    private static void skipBytes(InputStream s, long n, String name, long offset) throws IOException {
        byte[] buf = new byte[(int) Math.min(CHUNK, Math.max(n, 0))];
        while (n > 0) {
            int got = s.readNBytes(buf, 0, (int) Math.min(buf.length, n));
            if (got == 0) {
                throw endsBefore(name, offset);
            }
            n -= got;
        }
    }

    private static InvalidImageException endsBefore(String name, long offset) {
        return NiftiProblem.TRUNCATED.at(name, "data shorter than the header says: the file ends before"
                + " vox_offset " + offset);
    }
}
