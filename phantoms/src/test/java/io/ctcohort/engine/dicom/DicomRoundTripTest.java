package io.ctcohort.engine.dicom;

import io.ctcohort.engine.input.CtReader;
import io.ctcohort.engine.input.ImageRef;

import io.ctcohort.engine.TestData;
import io.ctcohort.engine.image.CtVolume;
import io.ctcohort.engine.image.Geometry;
import io.ctcohort.engine.nifti.NiftiReader;
import java.nio.file.Path;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** What DicomSeriesWriter writes, DicomSeriesReader reads back: the same HU at the same world positions. */
class DicomRoundTripTest {

    @Test
    void theRealCtComesBackVoxelForVoxel(@TempDir Path tmp) {
        CtVolume ct = NiftiReader.read(TestData.totalSegmentator("example_ct.nii.gz")).toCt();
        DicomSeriesWriter.write(ct, DicomSeriesWriterTest.STUDY, DicomSeriesWriterTest.MAIN, tmp.resolve("s"));
        CtVolume back = CtReader.readLocal(ImageRef.of(tmp.resolve("s")));
        assertArrayEquals(ct.geometry().dims(), back.geometry().dims());
        assertArrayEquals(ct.geometry().affine(), back.geometry().affine(), 1e-9);
        assertArrayEquals(ct.hu(), back.hu());
    }

    @Test
    void anObliqueFeetFirstVolumeComesBackAtTheSameWorldPositions(@TempDir Path tmp) {
        CtVolume ct = DicomSeriesWriterTest.obliqueVolume();
        DicomSeriesWriter.write(ct, DicomSeriesWriterTest.STUDY, DicomSeriesWriterTest.MAIN, tmp.resolve("s"));
        CtVolume back = CtReader.readLocal(ImageRef.of(tmp.resolve("s")));
        Geometry g = back.geometry();
        assertEquals(ct.geometry().voxelCount(), g.voxelCount());
        assertEquals(2.5, g.affine(2, 2), 1e-9, "slices are stacked along the normal: toward the head");
        double[][] inv = inverse(ct.geometry());
        for (int z = 0; z < g.nz(); z++) {
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 0; x < g.nx(); x++) {
                    int[] o = new int[3];
                    for (int r = 0; r < 3; r++) {
                        double w0 = g.affine(0, 0) * x + g.affine(0, 1) * y + g.affine(0, 2) * z + g.affine(0, 3);
                        double w1 = g.affine(1, 0) * x + g.affine(1, 1) * y + g.affine(1, 2) * z + g.affine(1, 3);
                        double w2 = g.affine(2, 0) * x + g.affine(2, 1) * y + g.affine(2, 2) * z + g.affine(2, 3);
                        double v = inv[r][0] * w0 + inv[r][1] * w1 + inv[r][2] * w2 + inv[r][3];
                        assertEquals(Math.rint(v), v, 1e-6);
                        o[r] = (int) Math.rint(v);
                    }
                    assertEquals(ct.get(o[0], o[1], o[2]), back.get(x, y, z));
                }
            }
        }
    }

    private static double[][] inverse(Geometry g) {
        double[][] a = new double[4][4];
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                a[r][c] = g.affine(r, c);
            }
        }
        return new LUDecomposition(new Array2DRowRealMatrix(a)).getSolver().getInverse().getData();
    }
}
