package io.ctcohort.engine.nifti;

import io.ctcohort.core.CtCohortException;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.Geometry;
import io.ctcohort.engine.image.LabelVolume;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntUnaryOperator;
import java.util.zip.GZIPOutputStream;

/**
 * Writes CT and label volumes as single-file NIfTI (.nii or .nii.gz), streaming the voxels through
 * a small buffer. The defaults make files every NIfTI reader understands (NIfTI-1, sform + qform);
 * {@link NiftiWriteOptions} chooses version, compression, datatype, byte order, scaling and forms.
 */
public final class NiftiWriter {
    private static final int CHUNK = 1 << 16;

    private NiftiWriter() {
    }

    /** int16 CT, NIfTI-1, sform + qform; gzip if the name ends in .gz. */
    public static void write(CtVolume ct, Path file) {
        write(ct, NiftiWriteOptions.defaults(), file);
    }

    /** uint8 or uint16 (as stored) label map, NIfTI-1, sform + qform; gzip if the name ends in .gz. */
    public static void write(LabelVolume labels, Path file) {
        write(labels, NiftiWriteOptions.defaults(), file);
    }

    public static void write(CtVolume ct, NiftiWriteOptions opts, Path file) {
        toFile(file, opts, out -> write(ct, withGzip(opts, file), out));
    }

    public static void write(LabelVolume labels, NiftiWriteOptions opts, Path file) {
        toFile(file, opts, out -> write(labels, withGzip(opts, file), out));
    }

    /** Writes to {@code out} (flushed, not closed); gzip only if {@code opts.gzip()} is true. */
    public static void write(CtVolume ct, NiftiWriteOptions opts, OutputStream out) {
        short[] hu = ct.hu();
        encode(ct.geometry(), NiftiDataType.INT16, hu, i -> hu[i], opts, out);
    }

    /** Writes to {@code out} (flushed, not closed); gzip only if {@code opts.gzip()} is true. */
    public static void write(LabelVolume labels, NiftiWriteOptions opts, OutputStream out) {
        NiftiDataType natural = labels.isUInt8() ? NiftiDataType.UINT8 : NiftiDataType.UINT16;
        Object raw = labels.isUInt8() ? labels.uint8() : labels.uint16();
        encode(labels.geometry(), natural, raw, labels::get, opts, out);
    }

    private interface StreamWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    private static void toFile(Path file, NiftiWriteOptions opts, StreamWriter w) {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), CHUNK)) {
            w.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException("cannot write " + file, e.getCause());
        } catch (CtCohortException e) {
            throw new CtCohortException(file + ": " + e.getMessage(), e); // e.g. a value the datatype cannot hold
        }
    }

    private static NiftiWriteOptions withGzip(NiftiWriteOptions opts, Path file) {
        return opts.gzip() != null ? opts : opts.gzip(file.getFileName().toString().endsWith(".gz"));
    }

    /**
     * Header, then voxels. The common case (the volume's own type, unscaled) copies the backing
     * array in bulk; any other type or scaling converts voxel by voxel.
     *
     * @param raw   the backing array (short[] or byte[]) of type {@code natural}
     * @param value voxel i's value, for the converting path
     */
    private static void encode(Geometry g, NiftiDataType natural, Object raw, IntUnaryOperator value,
                               NiftiWriteOptions opts, OutputStream sink) {
        NiftiDataType type = opts.datatype() != null ? opts.datatype() : natural;
        NiftiHeader h = header(g, type, opts);
        LevelGzip gz = null;
        try {
            gz = Boolean.TRUE.equals(opts.gzip()) ? new LevelGzip(sink, opts.gzipLevel()) : null;
            OutputStream out = gz != null ? gz : sink;
            out.write(h.encode());
            ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(opts.byteOrder());
            int n = (int) g.voxelCount();
            if (type == natural && !opts.scaled()) {
                for (int start = 0; start < n; start += CHUNK / 2) {
                    int len = Math.min(CHUNK / 2, n - start);
                    if (raw instanceof short[] s) {
                        buf.clear();
                        buf.asShortBuffer().put(s, start, len);
                        out.write(buf.array(), 0, 2 * len);
                    } else {
                        out.write((byte[]) raw, start, len);
                    }
                }
            } else {
                for (int i = 0; i < n; i++) {
                    if (buf.remaining() < 8) {
                        out.write(buf.array(), 0, buf.position());
                        buf.clear();
                    }
                    put(buf, type, stored(value.applyAsInt(i), type, opts));
                }
                out.write(buf.array(), 0, buf.position());
            }
            if (gz != null) {
                gz.finish();
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (gz != null) {
                gz.release();
            }
        }
    }

    /**
     * gzip at a chosen level over a sink we must not close: close() is what frees the native deflater,
     * so {@link #release()} frees it instead (otherwise only a later GC would).
     */
    private static final class LevelGzip extends GZIPOutputStream {
        LevelGzip(OutputStream sink, int level) throws IOException {
            super(sink, CHUNK);
            def.setLevel(level);
        }

        void release() {
            def.end();
        }
    }

    /** The number stored for a value: (value - inter) / slope, rounded for integer types, range-checked. */
    private static double stored(int value, NiftiDataType type, NiftiWriteOptions opts) {
        double v = opts.scaled() ? (value - opts.inter()) / opts.slope() : value;
        if (!type.isFloat()) {
            v = Math.rint(v);
            if (v < type.min() || v > type.max()) {
                throw new CtCohortException("value " + value + " cannot be stored as " + type.name().toLowerCase()
                        + (opts.scaled() ? " with slope " + opts.slope() + ", inter " + opts.inter() : ""));
            }
        }
        return v;
    }

    private static void put(ByteBuffer b, NiftiDataType type, double v) {
        switch (type) {
            case UINT8, INT8 -> b.put((byte) (int) v);
            case INT16, UINT16 -> b.putShort((short) (int) v);
            case INT32 -> b.putInt((int) v);
            case UINT32 -> b.putInt((int) (long) v);
            case FLOAT32 -> b.putFloat((float) v);
            case FLOAT64 -> b.putDouble(v);
        }
    }

    private static NiftiHeader header(Geometry g, NiftiDataType type, NiftiWriteOptions opts) {
        if (opts.version() == 1 && Math.max(g.nx(), Math.max(g.ny(), g.nz())) > Short.MAX_VALUE) {
            throw new CtCohortException("dimensions " + g + " exceed NIfTI-1's 32767 per axis; write NIfTI-2");
        }
        NiftiHeader h = new NiftiHeader();
        h.version = opts.version();
        h.order = opts.byteOrder();
        long[] dim = {3, g.nx(), g.ny(), g.nz(), 1, 1, 1, 1};
        System.arraycopy(dim, 0, h.dim, 0, 8);
        h.datatype = type.code();
        h.bitpix = type.bitpix();
        double[] sp = g.spacing();
        double[] a = g.affine();
        h.pixdim[0] = 1;
        for (int i = 0; i < 3; i++) {
            h.pixdim[i + 1] = sp[i];
        }
        for (int i = 4; i < 8; i++) {
            h.pixdim[i] = 1; // unused axes: spacing 1, as nibabel writes
        }
        h.sclSlope = opts.scaled() ? opts.slope() : 1.0;
        h.sclInter = opts.scaled() ? opts.inter() : 0.0;
        h.xyztUnits = 2; // NIFTI_UNITS_MM
        h.descrip = "ctcohort";
        if (opts.sform()) {
            h.sformCode = 2;
            System.arraycopy(a, 0, h.srow, 0, 12);
        }
        if (opts.qform()) {
            double[] q = NiftiAffine.toQuaternion(a);
            h.qformCode = 1;
            h.quaternB = q[0];
            h.quaternC = q[1];
            h.quaternD = q[2];
            h.pixdim[0] = q[3];
            h.qoffsetX = a[3];
            h.qoffsetY = a[7];
            h.qoffsetZ = a[11];
        }
        return h;
    }
}
