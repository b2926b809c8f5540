package io.ctcohort.analytics.centiles;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The basis against R's splines::ns() (fixture ns_basis.csv from make_centile_fixture.py). */
class NaturalSplineTest {

    @Test
    void equalsRsNsInsideAtAndBeyondTheBoundaryKnots() throws IOException {
        double[] x;
        try (InputStream in = getClass().getResourceAsStream("/centiles/ns_x.txt")) {
            x = Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim().split("\\s+"))
                    .mapToDouble(Double::parseDouble).toArray();
        }
        List<Map<String, String>> rows = FixtureCsv.read("ns_basis.csv");
        double worst = 0;
        for (Map<String, String> r : rows) {
            int df = Integer.parseInt(r.get("df"));
            double at = FixtureCsv.num(r, "x");
            int col = Integer.parseInt(r.get("col"));
            double expected = FixtureCsv.num(r, "value");
            double actual = NaturalSpline.of(x, df).basis(at)[col - 1];
            assertEquals(expected, actual, 1e-12, "df " + df + " x " + at + " col " + col);
            worst = Math.max(worst, Math.abs(expected - actual));
        }
        assertEquals((1 + 2 + 4 + 6) * 10, rows.size());
        System.out.println("ns() basis: " + rows.size() + " values, max |Java - R| " + worst);
    }

    @Test
    void knotsAreType7Quantiles() {
        NaturalSpline s = NaturalSpline.of(new double[] {1, 2, 3, 4, 10}, 4);
        assertTrue(Arrays.equals(new double[] {2, 3, 4}, s.interiorKnots()), Arrays.toString(s.interiorKnots()));
        assertTrue(Arrays.equals(new double[] {1, 10}, s.boundaryKnots()), Arrays.toString(s.boundaryKnots()));
        assertEquals(4, s.df());
        double[][] d = s.design(new double[] {1, 5});
        assertEquals(5, d[0].length);
        assertEquals(1.0, d[1][0]);
    }

    @Test
    void refusesCoincidentKnots() {
        assertThrows(IllegalArgumentException.class, () -> NaturalSpline.of(new double[] {50, 50, 50, 60}, 4));
        assertThrows(IllegalArgumentException.class, () -> NaturalSpline.of(new double[] {50, 50}, 1));
    }
}
